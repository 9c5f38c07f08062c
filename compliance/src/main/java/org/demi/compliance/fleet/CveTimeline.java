package org.demi.compliance.fleet;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.demi.compliance.evaluation.HostCve;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.inventory.HistoryEntry;

/**
 * A host's exposure to each CVE over its collection history: since when it has been open to
 * each CVE it is open to now, and how long it took to close each one it closed. A host is
 * exposed from the later of the first collection of an unbroken run of inventories open to the
 * CVE and the moment the server first saw the CVE in a feed (what was not known could not be
 * acted on); it is remediated at the first collection that no longer shows it open.
 *
 * @param since        per open CVE and source ({@link #key}), since when
 * @param remediations every CVE the host closed, oldest first
 */
public record CveTimeline(Map<String, Instant> since, List<Remediation> remediations) {
    public CveTimeline {
        since = Map.copyOf(since);
        remediations = List.copyOf(remediations);
    }

    /** A CVE the host was open to and closed. */
    public record Remediation(String id, String source, Instant opened, Instant closed) {
        public Duration took() {
            return Duration.between(opened, closed);
        }
    }

    /** Evaluates one of the host's stored inventories, by checksum. */
    public interface Judge {
        HostEvaluation evaluate(String checksum) throws IOException;
    }

    public static final CveTimeline NONE = new CveTimeline(Map.of(), List.of());

    /** How a CVE open through a source is named in {@link #since}. */
    public static String key(HostCve c) {
        return c.id() + " " + c.source();
    }

    /**
     * Replays the history: each distinct inventory is judged once (by the evaluator in force, so
     * what the tracker knows today), in the order the host had them.
     *
     * @param history   the host's history, oldest first; only entries that stored or confirmed an inventory count
     * @param firstSeen when each CVE id first came in a feed; an id missing is taken as known all along
     */
    public static CveTimeline replay(List<HistoryEntry> history, Judge judge, Map<String, Instant> firstSeen) throws IOException {
        return TimelineReplay.START.over(history, TimelineReplay.judged(judge, s -> s), firstSeen, s -> s).timeline(firstSeen);
    }
}
