package org.demi.compliance.fleet;

import java.time.Instant;
import java.util.Optional;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.InventoryStore;

/**
 * One host as it stands at an instant: its declaration, its latest good inventory with the
 * entry that received it, that inventory's evaluation, and its verdict.
 */
public record HostState(HostSpec spec, Optional<InventoryStore.Stored> latest, Optional<HostEvaluation> evaluation,
        Verdict verdict) {

    public String host() {
        return spec.host();
    }

    /** When an inventory was last stored or confirmed unchanged. */
    public Optional<Instant> lastSeen() {
        return latest.map(s -> s.received().time());
    }

    /** The checksum of the inventory the evaluation was made from, or empty. */
    public String checksum() {
        return latest.flatMap(s -> s.received().checksum()).orElse("");
    }
}
