package org.demi.compliance.evaluation;

/**
 * Where a host's release stands: whether Debian still supports it with security updates (by
 * its own dates, {@link ReleaseCalendar}), and whether Demi can evaluate it at all.
 */
public enum ReleaseSupport {
    /** Before its end of life: the security team's DSAs. */
    SUPPORTED("supported"),
    /** Past its end of life, before the end of LTS: the LTS team's DLAs. */
    LTS("lts"),
    /** Past the end of LTS: Debian publishes no security update for it any more. */
    ENDED("ended"),
    /** The mirror serves it, but Debian's dates for it are not known (no distro-info-data in the mirror). */
    MIRRORED("mirrored"),
    /** The release is known, but no suite of the mirror serves it. */
    NOT_MIRRORED("not-mirrored"),
    /** Neither os-release nor base-files says which release the host runs. */
    UNKNOWN("unknown");

    private final String word;

    ReleaseSupport(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** Whether security updates for it can still come from Debian through the mirror. */
    public boolean securitySupported() {
        return this == SUPPORTED || this == LTS || this == MIRRORED;
    }
}
