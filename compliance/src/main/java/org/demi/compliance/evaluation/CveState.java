package org.demi.compliance.evaluation;

/**
 * Where a host stands against one CVE the tracker lists for a source package it has installed,
 * judged through the source package and its source version. The order of the constants is the
 * order of concern: the first open state is the worst.
 */
public enum CveState {
    /** Installed below the fixed version, and the mirror offers every installed binary of the source at or above it. */
    FIX_AVAILABLE("fix-available"),
    /**
     * The kernel: an image at or above the fixed version is installed, and the host still runs an
     * older one. Open until it reboots.
     */
    FIXED_PENDING_REBOOT("fixed-pending-reboot"),
    /** Installed below the fixed version, and the mirror does not (yet) offer it: mirror lag, or a suite not mirrored. */
    FIX_NOT_IN_MIRROR("fix-not-in-mirror"),
    /** Affected and no fix released: unfixed, postponed, no-DSA, ignored, or the package's support ended. */
    NO_FIX("no-fix"),
    /** The tracker does not know yet whether the release is affected. */
    UNDETERMINED("undetermined"),
    /** Installed at or above the fixed version. */
    FIXED("fixed"),
    /** The release never had the flaw (the tracker's fixed version {@code 0}). */
    NOT_AFFECTED("not-affected");

    private final String word;

    CveState(String word) {
        this.word = word;
    }

    /** The name used in reports, JSON and searches ({@code cve_state:fix-available}). */
    public String word() {
        return word;
    }

    /** Whether the host is exposed (or may be, when undetermined). */
    public boolean open() {
        return this != FIXED && this != NOT_AFFECTED;
    }

    public static java.util.Optional<CveState> of(String word) {
        for (CveState s : values()) {
            if (s.word.equals(word)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
