package org.demi.compliance.advisory;

/** What an advisory says about one release, as the security tracker's lists write it. */
public enum FixKind {
    /** {@code [bookworm] - openssl 3.0.11-1~deb12u2}: fixed in that source version. */
    FIXED("fixed"),
    /** {@code <not-affected>}: the release never had the flaw. */
    NOT_AFFECTED("not-affected"),
    /** {@code <unfixed>}: affected, no fix released for it yet. */
    UNFIXED("unfixed"),
    /** {@code <end-of-life>}: affected, and security support for the package has ended. */
    END_OF_LIFE("end-of-life"),
    /** {@code <no-dsa>}: affected but minor; fixed, if ever, in a point release. */
    NO_DSA("no-dsa");

    private final String marker;

    FixKind(String marker) {
        this.marker = marker;
    }

    public String marker() {
        return marker;
    }

    static FixKind ofMarker(String m) {
        for (FixKind k : values()) {
            if (k != FIXED && k.marker.equals(m)) {
                return k;
            }
        }
        return null;
    }
}
