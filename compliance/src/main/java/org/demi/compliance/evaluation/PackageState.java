package org.demi.compliance.evaluation;

/** Where an installed package stands against what the archive offers its release. */
public enum PackageState {
    /** The installed version is the newest the release's suites offer. */
    CURRENT("current"),
    /** A newer version exists, none of the newer ones from a security suite. */
    UPDATE("update"),
    /** A newer version exists in a security suite. */
    SECURITY_UPDATE("security-update"),
    /** No suite of the release has the package for this architecture (local or third-party). */
    NOT_IN_ARCHIVE("not-in-archive"),
    /** The installed version is newer than anything the release's suites offer. */
    NEWER_THAN_ARCHIVE("newer-than-archive"),
    /**
     * An advisory open on the package's source names a fixed version the mirror does not offer
     * yet: whatever the archive says, the host cannot be fixed from the mirror. Mirror lag (or a
     * suite not mirrored), which an administrator must see.
     */
    FIX_NOT_IN_MIRROR("fix-not-in-mirror");

    private final String word;

    PackageState(String word) {
        this.word = word;
    }

    /** The name used in reports, JSON and the index. */
    public String word() {
        return word;
    }

    public boolean hasUpdate() {
        return this == UPDATE || this == SECURITY_UPDATE;
    }
}
