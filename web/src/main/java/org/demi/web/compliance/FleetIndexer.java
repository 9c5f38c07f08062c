package org.demi.web.compliance;

import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.host.HostSpec;
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
        int replaced = 0;
        for (FleetState st : FleetState.evaluate(setup, evaluator, clock.instant())) {
            declared.add(st.spec().host());
            if (st.indexed().isEmpty()) {
                continue;
            }
            var h = st.indexed().get();
            if (all || !(h.checksum() + " " + h.verdict().word()).equals(indexed.get(h.host()))) {
                index.replaceHost(h);
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
