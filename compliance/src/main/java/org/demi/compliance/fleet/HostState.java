package org.demi.compliance.fleet;

import java.time.Instant;
import java.util.Optional;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;

/**
 * One host as it stands at an instant: its declaration, its latest good inventory with the
 * entry that received it, that inventory's evaluation, its latest attempt of any outcome, and
 * its verdict.
 */
public record HostState(HostSpec spec, Optional<InventoryStore.Stored> latest, Optional<HostEvaluation> evaluation,
        Optional<HistoryEntry> lastAttempt, Verdict verdict) {

    public String host() {
        return spec.host();
    }

    /** When an inventory was last stored or confirmed unchanged. */
    public Optional<Instant> lastSeen() {
        return latest.map(s -> s.received().time());
    }

    /**
     * Why the host is not judged by a fresh inventory, in words for the pages: the last
     * attempt's failure, that it never was collected, or since when nothing came; empty when
     * a fresh inventory judges it.
     */
    public String reason() {
        return switch (verdict) {
            case UNREACHABLE, NEVER_COLLECTED -> lastAttempt.map(e -> e.outcome().good() ? "" : e.outcome().word() + " at " + e.time()
                    + (e.detail().isEmpty() ? "" : ": " + e.detail()))
                    .filter(s -> !s.isEmpty())
                    .orElse(spec.collect() == CollectMethod.PUSH ? "has never pushed an inventory" : "no collection attempt yet");
            case STALE -> "no inventory since " + lastSeen().map(Object::toString).orElse("ever") + lastAttempt
                    .filter(e -> !e.outcome().good()).map(e -> "; last attempt " + e.outcome().word() + ": " + e.detail()).orElse("");
            default -> "";
        };
    }

    /** The checksum of the inventory the evaluation was made from, or empty. */
    public String checksum() {
        return latest.flatMap(s -> s.received().checksum()).orElse("");
    }
}
