package org.demi.web.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes to one recipient for one event (or, for per-host events, for all the new ones of a
 * round together): a subject, a plain-text body for mail, and the fields a webhook receives.
 *
 * @param keys the states it announces, recorded as announced once it is handed over
 */
public record Message(String kind, String subject, String text, Map<String, Object> fields, List<String> keys) {
    public Message {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        keys = List.copyOf(keys);
    }

    /** One event's message. */
    static Message of(Event e, String server, Instant at) {
        return of(e.kind().word(), e.subject(), List.of(e), server, at);
    }

    /** The new per-host events of one kind, as one message naming every host. */
    static Message grouped(Event.Kind kind, List<Event> events, String server, Instant at) {
        String subject = events.size() == 1 ? events.get(0).subject()
                : events.size() + " hosts are " + (kind == Event.Kind.NOT_INSTALLED ? "not installing delivered fixes" : kind.word());
        return of(kind.word(), subject, events, server, at);
    }

    /** The first message to a recipient new to the notify file: what is open already, counted by kind, not told one by one. */
    static Message start(Map<String, Long> openByKind, String server, Instant at) {
        String counts = openByKind.isEmpty() ? "nothing" : String.join(", ", openByKind.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).toList());
        String subject = "Notifications start; open now: " + counts;
        Map<String, Object> fields = header("start", subject, server, at);
        fields.put("open", openByKind);
        return new Message("start", subject, subject + ".\n\nWhat is open now is not announced one by one; what opens from now on "
                + "is.\n\n-- \nDemi at " + server + "\n", fields, List.of());
    }

    /** The fields every message starts with. */
    private static Map<String, Object> header(String kind, String subject, String server, Instant at) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", kind);
        fields.put("subject", subject);
        fields.put("server", server);
        fields.put("time", at.toString());
        return fields;
    }

    private static Message of(String kind, String subject, List<Event> events, String server, Instant at) {
        StringBuilder text = new StringBuilder(subject).append(".\n\n");
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (Event e : events) {
            if (events.size() > 1) {
                text.append("- ").append(e.subject()).append(": ");
            }
            text.append(e.detail()).append('\n');
            if (events.size() == 1 && !e.hosts().isEmpty()) {
                text.append("\nHosts").append(e.hostCount() > e.hosts().size() ? " (the first " + e.hosts().size() + " of "
                        + e.hostCount() + ")" : "").append(":\n");
                e.hosts().forEach(h -> text.append("  ").append(h).append('\n'));
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", e.key());
            item.put("subject", e.subject());
            e.urgency().ifPresent(u -> item.put("urgency", u.term()));
            item.put("hosts", e.hosts());
            item.put("host_count", e.hostCount());
            item.put("detail", e.detail());
            items.add(item);
        }
        text.append("\n-- \nDemi at ").append(server).append(", ").append(at).append('\n');
        Map<String, Object> fields = header(kind, subject, server, at);
        fields.put("events", items);
        return new Message(kind, subject, text.toString(), fields, events.stream().map(Event::key).toList());
    }
}
