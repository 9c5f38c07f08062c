package org.demi.index;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.HostState;

/**
 * What the index holds of one host: its evaluation and what the server knows besides it.
 *
 * @param checksum the inventory the evaluation was made from, so a restart can tell which hosts to re-index
 */
public record IndexedHost(String host, List<String> groups, Verdict verdict, Optional<Instant> lastSeen, String checksum,
        HostEvaluation evaluation) {
    public IndexedHost {
        Objects.requireNonNull(host);
        groups = List.copyOf(groups);
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(evaluation);
        checksum = checksum == null ? "" : checksum;
    }

    /** What the index holds of a host as it stands, when it has an evaluation. */
    public static Optional<IndexedHost> of(HostState state) {
        return state.evaluation().map(e -> new IndexedHost(state.host(), state.spec().groups(), state.verdict(), state.lastSeen(),
                state.checksum(), e));
    }
}
