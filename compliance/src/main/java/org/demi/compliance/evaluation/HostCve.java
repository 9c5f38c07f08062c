package org.demi.compliance.evaluation;

import java.util.List;
import org.demi.compliance.tracker.CveRelease;
import org.demi.deb.version.Version;

/**
 * One CVE the tracker lists for a source package a host has installed, and where the host stands.
 *
 * @param installedSourceVersion the source version of the host's binaries of {@code source}
 * @param binaries               those binaries, {@code name:arch}
 * @param tracker                what the tracker says of the CVE in the host's release
 * @param scope                  {@code remote}, {@code local}, or empty
 * @param advisories             the DSAs and DLAs that name the CVE and fix {@code source} in the release
 */
public record HostCve(String id, String source, Version installedSourceVersion, List<String> binaries, CveState state,
        CveRelease tracker, String scope, List<String> advisories) {
    /** Worst state first, then most urgent, then id. */
    public static final java.util.Comparator<HostCve> BY_CONCERN = java.util.Comparator.comparing(HostCve::state)
            .thenComparing(c -> c.tracker().urgency()).thenComparing(HostCve::id).thenComparing(HostCve::source);

    public HostCve {
        binaries = List.copyOf(binaries);
        advisories = List.copyOf(advisories);
    }

    /** The version that fixes it in the host's release, null when there is none (or never was a flaw). */
    public Version fixedVersion() {
        return tracker.fixedVersion();
    }
}
