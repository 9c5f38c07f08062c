package org.demi.web.compliance;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.osrelease.OsRelease;
import org.demi.index.IndexedHost;

/** Every host as it stands now: its latest inventory evaluated, its history, its verdict. */
public record FleetState(HostSpec spec, Optional<InventoryStore.Stored> latest, Optional<HostEvaluation> evaluation,
        Verdict verdict) {

    public static List<FleetState> evaluate(ComplianceSetup setup, Evaluator evaluator, Instant now) throws IOException {
        InventoryStore store = setup.inventories();
        List<FleetState> out = new ArrayList<>();
        for (HostSpec h : setup.hosts()) {
            out.add(of(store, evaluator, h, now));
        }
        return out;
    }

    public static FleetState of(InventoryStore store, Evaluator evaluator, HostSpec h, Instant now) throws IOException {
        Optional<HistoryEntry> last = store.lastEntry(h.host());
        Optional<InventoryStore.Stored> latest = store.latest(h.host());
        Optional<HostEvaluation> eval = Optional.empty();
        if (latest.isPresent()) {
            var inv = latest.get().inventory();
            eval = Optional.of(evaluator.evaluate(h.host(), OsRelease.parse(inv.osRelease()),
                    StatusFile.parse(inv.status(), h.host() + "/status")));
        }
        Optional<Instant> lastGood = latest.map(s -> s.received().time());
        return new FleetState(h, latest, eval, Verdict.of(eval, last, lastGood, now, ComplianceSetup.STALE_AFTER));
    }

    public Optional<Instant> lastSeen() {
        return latest.map(s -> s.received().time());
    }

    /** What the index holds of this host, when it has an evaluation. */
    public Optional<IndexedHost> indexed() {
        return evaluation.map(e -> new IndexedHost(spec.host(), spec.groups(), verdict, lastSeen(),
                latest.flatMap(s -> s.received().checksum()).orElse(""), e));
    }
}
