package org.demi.compliance.fleet;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        Map<String, Instant> start = new LinkedHashMap<>();
        List<Remediation> closed = new ArrayList<>();
        Map<String, Set<String>> openByChecksum = new HashMap<>();
        String previous = null;
        for (HistoryEntry e : history) {
            if (!e.outcome().good() || e.checksum().isEmpty()) {
                continue;
            }
            String checksum = e.checksum().get();
            if (checksum.equals(previous)) {
                continue; // unchanged: the same inventory, the same exposure
            }
            previous = checksum;
            Set<String> open = openByChecksum.get(checksum);
            if (open == null) {
                open = new HashSet<>();
                for (HostCve c : judge.evaluate(checksum).openCves()) {
                    open.add(key(c));
                }
                openByChecksum.put(checksum, open);
            }
            for (String k : open) {
                start.putIfAbsent(k, e.time());
            }
            for (var it = start.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Instant> s = it.next();
                if (!open.contains(s.getKey())) {
                    String id = s.getKey().substring(0, s.getKey().indexOf(' '));
                    Instant opened = later(s.getValue(), firstSeen.get(id));
                    if (opened.isBefore(e.time())) {
                        closed.add(new Remediation(id, s.getKey().substring(id.length() + 1), opened, e.time()));
                    }
                    it.remove();
                }
            }
        }
        Map<String, Instant> since = new HashMap<>();
        start.forEach((k, t) -> since.put(k, later(t, firstSeen.get(k.substring(0, k.indexOf(' '))))));
        return new CveTimeline(since, closed);
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
