package org.demi.web.compliance;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.index.FleetIndex;
import org.demi.mirror.store.MirrorStore;

/**
 * Keeps the index in step with the data directory inside {@code demi serve}: after a mirror
 * sync or an advisory change everything is re-evaluated; after a collection, hosts whose
 * inventory or verdict changed are replaced; a pushed inventory is searchable as soon as it
 * is stored (replace, refresh, commit).
 */
public final class FleetIndexer {
    private final ComplianceSetup setup;
    private final MirrorStore mirror;
    private final FleetIndex index;
    private final Clock clock;
    private Evaluator evaluator;

    public FleetIndexer(ComplianceSetup setup, MirrorStore mirror, FleetIndex index, Clock clock) {
        this.setup = setup;
        this.mirror = mirror;
        this.index = index;
        this.clock = clock;
    }

    /** Recomputes the open-advisories series from the inventory histories, with the evaluator the index was made with. */
    public synchronized List<ExposureHistory.Point> replay(ExposureHistory history, int days) throws IOException {
        if (evaluator == null) {
            evaluator = setup.evaluator(mirror);
        }
        return history.compute(evaluator, setup.hosts(), days);
    }

    /** Re-reads the mirror's suites and the advisories, then brings every host up to date. Returns hosts replaced. */
    public synchronized int reload() throws IOException {
        evaluator = setup.evaluator(mirror);
        index.replaceAdvisories(setup.advisories());
        return reconcile(true);
    }

    /** Replaces the hosts whose inventory or verdict changed, removes undeclared ones. Returns hosts replaced. */
    public synchronized int reconcile() throws IOException {
        return reconcile(false);
    }

    private int reconcile(boolean all) throws IOException {
        if (evaluator == null) {
            evaluator = setup.evaluator(mirror);
        }
        Map<String, String> indexed = index.indexedHosts();
        Set<String> declared = new HashSet<>();
        InventoryStore store = setup.inventories();
        Instant now = clock.instant();
        int replaced = 0;
        for (HostSpec spec : setup.hosts()) {
            declared.add(spec.host());
            if (!all && unchanged(store, spec.host(), indexed.get(spec.host()), now)) {
                continue;
            }
            FleetState st = FleetState.of(store, evaluator, spec, now);
            if (st.indexed().isPresent()) {
                index.replaceHost(st.indexed().get());
                replaced++;
            }
        }
        for (String gone : indexed.keySet()) {
            if (!declared.contains(gone)) {
                index.removeHost(gone);
            }
        }
        index.refresh();
        index.commit();
        return replaced;
    }

    /**
     * Whether the indexed documents still stand, judged from the end of the host's history
     * alone: the same inventory (so, between reloads, the same evaluation) and the same
     * verdict. Only hosts that fail this are parsed and evaluated again.
     */
    private static boolean unchanged(InventoryStore store, String host, String indexed, Instant now) throws IOException {
        Optional<HistoryEntry> good = store.lastGood(host);
        if (indexed == null || good.isEmpty()) {
            return false;
        }
        String[] was = indexed.split(" ", 2); // "checksum verdict"
        if (!was[0].equals(good.get().checksum().orElse(""))) {
            return false;
        }
        Optional<Verdict> byHistory = Verdict.fromHistory(store.lastEntry(host), Optional.of(good.get().time()), now,
                ComplianceSetup.STALE_AFTER);
        return byHistory.map(v -> v.word().equals(was[1]))
                .orElse(was[1].equals(Verdict.COMPLIANT.word()) || was[1].equals(Verdict.NON_COMPLIANT.word()));
    }

    /** One host's inventory changed (a push): evaluate and index it alone. */
    public synchronized void hostChanged(String host) throws IOException {
        if (evaluator == null) {
            evaluator = setup.evaluator(mirror);
        }
        for (HostSpec h : setup.hosts()) {
            if (h.host().equals(host)) {
                FleetState st = FleetState.of(setup.inventories(), evaluator, h, clock.instant());
                if (st.indexed().isPresent()) {
                    index.replaceHost(st.indexed().get());
                    index.refresh();
                    index.commit();
                }
            }
        }
    }
}
