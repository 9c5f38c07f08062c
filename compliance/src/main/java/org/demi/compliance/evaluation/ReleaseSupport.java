package org.demi.compliance.evaluation;

/** Whether Demi can evaluate a host's release. */
public enum ReleaseSupport {
    /** The mirror has suites of the release. */
    SUPPORTED("supported"),
    /** The release is known, but no suite of the mirror serves it. */
    UNSUPPORTED("unsupported"),
    /** Neither os-release nor base-files says which release the host runs. */
    UNKNOWN("unknown");

    private final String word;

    ReleaseSupport(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
