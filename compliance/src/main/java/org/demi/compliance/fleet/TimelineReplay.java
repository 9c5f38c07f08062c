package org.demi.compliance.fleet;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.demi.compliance.evaluation.HostCve;
import org.demi.compliance.inventory.HistoryEntry;

/**
 * A {@link CveTimeline} replayed over the first entries of a host's history, and where the
 * replay stands: which CVEs are open since when, and what was closed. History is append-only,
 * so the next replay of the same host by the same judge goes on from here and judges only the
 * inventories the new entries bring; replayed from the start, it would judge every inventory the
 * host ever had, once per change of one.
 *
 * <p>Going on from a replay gives exactly what replaying the whole history gives: the state
 * after an entry is everything a replay carries to the next one (the open CVEs, in the order
 * they opened, with their starts; the closures so far; the last inventory), and the open CVEs
 * are the last inventory's. A replay goes on only over a history whose entry it ended on is
 * still in its place; any other history (pruned, or a host removed and declared again) is
 * replayed from the start.
 */
final class TimelineReplay {
    /** Where a replay starts: nothing consumed, nothing open. */
    static final TimelineReplay START = new TimelineReplay(0, null, null, new String[0], new Instant[0], List.of());

    private final int consumed;
    private final HistoryEntry last;
    private final String previous;
    private final String[] open;
    private final Instant[] start;
    private final List<CveTimeline.Remediation> closed;

    private TimelineReplay(int consumed, HistoryEntry last, String previous, String[] open, Instant[] start,
            List<CveTimeline.Remediation> closed) {
        this.consumed = consumed;
        this.last = last;
        this.previous = previous;
        this.open = open;
        this.start = start;
        this.closed = closed;
    }

    /** The CVEs an inventory is open to, by {@link CveTimeline#key}. */
    interface Exposure {
        java.util.Collection<String> open(String checksum) throws IOException;
    }

    /** The CVEs open in each inventory as {@code judge} evaluates it, their keys shared by {@code shared}. */
    static Exposure judged(CveTimeline.Judge judge, UnaryOperator<String> shared) {
        return checksum -> {
            List<String> keys = new ArrayList<>();
            for (HostCve c : judge.evaluate(checksum).openCves()) {
                keys.add(shared.apply(CveTimeline.key(c)));
            }
            return keys;
        };
    }

    /** Whether {@code history} is the one this replay consumed the beginning of, with entries appended or not. */
    boolean continues(List<HistoryEntry> history) {
        return consumed <= history.size() && (consumed == 0 || history.get(consumed - 1).equals(last));
    }

    /**
     * Goes on over the entries of {@code history} after the ones consumed (see {@link #continues}).
     *
     * @param exposure  the CVEs each inventory is open to
     * @param firstSeen when each CVE id first came in a feed; an id missing is taken as known all along
     * @param shared    returns the one instance kept of an equal string (CVE ids, sources and keys
     *                  repeat across a fleet's replays), or the string itself
     */
    TimelineReplay over(List<HistoryEntry> history, Exposure exposure, Map<String, Instant> firstSeen, UnaryOperator<String> shared)
            throws IOException {
        if (!continues(history)) {
            throw new IllegalArgumentException("not the history this replay consumed " + consumed + " entries of");
        }
        if (consumed == history.size()) {
            return this;
        }
        Map<String, Instant> starts = new LinkedHashMap<>();
        for (int i = 0; i < open.length; i++) {
            starts.put(open[i], start[i]);
        }
        List<CveTimeline.Remediation> done = new ArrayList<>(closed);
        Map<String, Set<String>> openByChecksum = new HashMap<>();
        String was = previous;
        for (HistoryEntry e : history.subList(consumed, history.size())) {
            if (!e.outcome().good() || e.checksum().isEmpty()) {
                continue;
            }
            String checksum = e.checksum().get();
            if (checksum.equals(was)) {
                continue; // unchanged: the same inventory, the same exposure
            }
            was = checksum;
            Set<String> now = openByChecksum.get(checksum);
            if (now == null) {
                now = new HashSet<>(exposure.open(checksum));
                openByChecksum.put(checksum, now);
            }
            for (String k : now) {
                starts.putIfAbsent(k, e.time());
            }
            for (var it = starts.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Instant> s = it.next();
                if (!now.contains(s.getKey())) {
                    String id = shared.apply(idOf(s.getKey()));
                    Instant opened = later(s.getValue(), firstSeen.get(id));
                    if (opened.isBefore(e.time())) {
                        done.add(new CveTimeline.Remediation(id, shared.apply(s.getKey().substring(id.length() + 1)), opened, e.time()));
                    }
                    it.remove();
                }
            }
        }
        return new TimelineReplay(history.size(), history.get(history.size() - 1), was, starts.keySet().toArray(new String[0]),
                starts.values().toArray(new Instant[0]), List.copyOf(done));
    }

    /** The timeline as it stands after the entries consumed. */
    CveTimeline timeline(Map<String, Instant> firstSeen) {
        Map<String, Instant> since = new HashMap<>();
        for (int i = 0; i < open.length; i++) {
            since.put(open[i], later(start[i], firstSeen.get(idOf(open[i]))));
        }
        return new CveTimeline(since, closed);
    }

    private static String idOf(String key) {
        return key.substring(0, key.indexOf(' '));
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
