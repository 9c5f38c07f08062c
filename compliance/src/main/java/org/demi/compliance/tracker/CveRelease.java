package org.demi.compliance.tracker;

import java.util.Objects;
import org.demi.deb.version.Version;

/**
 * What the tracker says of one CVE in one source package of one release.
 *
 * @param fixedVersion the source version that fixes it, only when resolved; null otherwise, and
 *                     null too when resolved with {@code "0"} ({@link #notAffected})
 * @param notAffected  resolved with fixed version {@code "0"}: the release never had the flaw
 * @param fromNvd      the urgency was taken from NVD (the tracker's trailing {@code **})
 * @param noDsa        the tracker's comment for a fix that gets no advisory, or empty
 * @param noDsaReason  {@code postponed}, {@code ignored}, or empty for a plain no-DSA (or none)
 */
public record CveRelease(String release, TrackerStatus status, Version fixedVersion, boolean notAffected, Urgency urgency,
        boolean fromNvd, String noDsa, String noDsaReason) {
    public CveRelease {
        Objects.requireNonNull(release);
        Objects.requireNonNull(status);
        Objects.requireNonNull(urgency);
        noDsa = noDsa == null ? "" : noDsa;
        noDsaReason = noDsaReason == null ? "" : noDsaReason;
        if (fixedVersion != null && (status != TrackerStatus.RESOLVED || notAffected)) {
            throw new IllegalArgumentException("a fixed version goes with a resolved, affected release only");
        }
    }

    /** The urgency as the tracker writes it, {@code **} included. */
    public String urgencyText() {
        return urgency.label() + (fromNvd ? "**" : "");
    }
}
