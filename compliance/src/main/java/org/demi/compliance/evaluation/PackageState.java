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
    NEWER_THAN_ARCHIVE("newer-than-archive");

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
