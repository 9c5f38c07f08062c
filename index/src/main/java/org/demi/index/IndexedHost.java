package org.demi.index;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.delivery.Waiting;
import org.demi.compliance.fleet.CveTimeline;
import org.demi.compliance.fleet.HostState;

/**
 * What the index holds of one host: its evaluation, when it has one, and what the server
 * knows besides it. A declared host never collected is indexed too, with its verdict and why.
 *
 * @param checksum the inventory the evaluation was made from, so a restart can tell which hosts to re-index
 * @param reason   why no fresh inventory judges the host (see {@link HostState#reason()}), or empty
 */
public record IndexedHost(String host, List<String> groups, Verdict verdict, Optional<Instant> lastSeen, String checksum,
        Optional<HostEvaluation> evaluation, String reason, CveTimeline cves, List<Waiting> waiting) {
    public IndexedHost {
        Objects.requireNonNull(host);
        Objects.requireNonNull(cves);
        waiting = List.copyOf(waiting);
        groups = List.copyOf(groups);
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(evaluation);
        checksum = checksum == null ? "" : checksum;
        reason = reason == null ? "" : reason;
    }

    /** A host judged by an evaluation. */
    public IndexedHost(String host, List<String> groups, Verdict verdict, Optional<Instant> lastSeen, String checksum,
            HostEvaluation evaluation) {
        this(host, groups, verdict, lastSeen, checksum, Optional.of(evaluation), "", CveTimeline.NONE, List.of());
    }

    /**
     * What the index holds of a host as it stands, with its exposure over time and what was
     * delivered to it and is not installed yet.
     */
    public static IndexedHost of(HostState state, CveTimeline cves, List<Waiting> waiting) {
        return new IndexedHost(state.host(), state.spec().groups(), state.verdict(), state.lastSeen(), state.checksum(),
                state.evaluation(), state.reason(), cves, waiting);
    }
}
