package org.demi.compliance.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Outcome;

/** A host's standing, for the overview and for reports. */
public enum Verdict {
    /** A fresh inventory, no pending security update, no open advisory, nothing to reboot or restart. */
    COMPLIANT("compliant"),
    /** A fresh inventory with a pending security update or an open advisory, or a release Demi cannot evaluate. */
    NON_COMPLIANT("non-compliant"),
    /**
     * A fresh inventory that installed what it needs and still runs an older kernel than its
     * newest image, or says it must reboot: compliant once rebooted (advisories the installed
     * kernel closes stay open until then).
     */
    REBOOT_REQUIRED("reboot-required"),
    /** A fresh inventory compliant but for services needrestart names as running outdated code. */
    RESTART_REQUIRED("restart-required"),
    /**
     * A fresh inventory of a release past Debian's security support (past the end of LTS, by
     * distro-info-data's dates): whatever its packages, no fix will come.
     */
    END_OF_LIFE("end-of-life"),
    /** An inventory once, but none newer than the staleness limit. */
    STALE("stale"),
    /** Declared, but no inventory ever: not collected yet, every attempt rejected, or a push host that never pushed. */
    NEVER_COLLECTED("never-collected"),
    /** The latest attempt could not reach the host, or the host refused it. */
    UNREACHABLE("unreachable");

    private final String word;

    Verdict(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** Whether a fresh inventory's evaluation decides it, rather than the host's history. */
    public boolean byEvaluation() {
        return this != STALE && this != NEVER_COLLECTED && this != UNREACHABLE;
    }

    /**
     * @param last     the host's latest history entry
     * @param lastGood when an inventory was last stored or confirmed
     */
    public static Verdict of(Optional<HostEvaluation> evaluation, Optional<HistoryEntry> last, Optional<Instant> lastGood,
            Instant now, Duration staleAfter) {
        Optional<Verdict> byHistory = fromHistory(last, lastGood, now, staleAfter);
        if (byHistory.isPresent()) {
            return byHistory.get();
        }
        if (evaluation.isEmpty()) {
            return NEVER_COLLECTED;
        }
        if (evaluation.get().support() == ReleaseSupport.ENDED) {
            return END_OF_LIFE;
        }
        HostEvaluation e = evaluation.get();
        return !e.compliantOnceRebooted() ? NON_COMPLIANT
                : e.restarts().rebootRequired() ? REBOOT_REQUIRED
                : e.restarts().restartRequired() ? RESTART_REQUIRED
                : COMPLIANT;
    }

    /**
     * {@link #UNREACHABLE}, {@link #NEVER_COLLECTED} or {@link #STALE} when the history alone
     * decides; empty when the evaluation does.
     */
    public static Optional<Verdict> fromHistory(Optional<HistoryEntry> last, Optional<Instant> lastGood, Instant now,
            Duration staleAfter) {
        if (last.isPresent() && (last.get().outcome() == Outcome.UNREACHABLE || last.get().outcome() == Outcome.REFUSED)) {
            return Optional.of(UNREACHABLE);
        }
        if (lastGood.isEmpty()) {
            return Optional.of(NEVER_COLLECTED);
        }
        if (lastGood.get().isBefore(now.minus(staleAfter))) {
            return Optional.of(STALE);
        }
        return Optional.empty();
    }
}
