package org.demi.web.notify;

import java.time.Duration;
import java.util.Set;
import org.demi.compliance.tracker.Urgency;

/**
 * One paragraph of the notify file: where messages go, which events it wants, the least
 * urgency of a CVE worth a message, and how long delivered fixes may wait uninstalled.
 *
 * @param id the destination, which names its record of what was announced
 */
public record Recipient(String id, Channel channel, Set<Event.Kind> events, Urgency minimum, Duration notInstalledAfter) {
    public Recipient {
        events = Set.copyOf(events);
    }

    /** Whether this recipient wants to hear of {@code e}. */
    boolean wants(Event e) {
        return events.contains(e.kind()) && (e.urgency().isEmpty() || e.urgency().get().ordinal() <= minimum.ordinal());
    }
}
