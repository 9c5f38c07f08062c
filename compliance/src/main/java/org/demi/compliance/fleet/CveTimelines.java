package org.demi.compliance.fleet;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.inventory.HistoryEntry;

/**
 * Every host's last timeline replay, kept while the evaluator and the first-seen dates stay
 * those it was judged by: a host that sends a new inventory then costs the judgement of that
 * inventory, not of every inventory it ever had. A new evaluator (a sync, new advisories, the
 * next day) or new first-seen dates drop them all, and each host is replayed whole once more.
 *
 * <p>What is kept per host is its open CVEs and their starts, and its closures: a few kilobytes,
 * with the CVE ids and sources shared across hosts.
 */
final class CveTimelines {
    /** The replays made by one evaluator with one map of first-seen dates, by host. */
    private record Basis(Evaluator by, Map<String, Instant> firstSeen, Map<String, TimelineReplay> hosts, Map<String, String> shared) {
        String share(String s) {
            String kept = shared.putIfAbsent(s, s);
            return kept == null ? s : kept;
        }
    }

    private final AtomicReference<Basis> basis = new AtomicReference<>();

    /**
     * The host's timeline over {@code history}, going on from its last replay by the same
     * evaluator and first-seen dates when {@code history} continues the one that replay consumed.
     *
     * @param judge evaluates the host's stored inventories by {@code by}
     */
    CveTimeline replay(String host, List<HistoryEntry> history, Evaluator by, Map<String, Instant> firstSeen, CveTimeline.Judge judge)
            throws IOException {
        Basis b = basis.updateAndGet(was -> was != null && was.by() == by && was.firstSeen() == firstSeen ? was
                : new Basis(by, firstSeen, new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        TimelineReplay kept = b.hosts().get(host);
        TimelineReplay from = kept != null && kept.continues(history) ? kept : TimelineReplay.START;
        TimelineReplay now = from.over(history, TimelineReplay.judged(judge, b::share), firstSeen, b::share);
        b.hosts().put(host, now);
        return now.timeline(firstSeen);
    }
}
