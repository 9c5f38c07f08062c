package org.demi.compliance.tracker;

import java.util.Optional;

/** The tracker's status of a CVE in one release. */
public enum TrackerStatus {
    /** Fixed in a version (or never affected: a fixed version of {@code 0}). */
    RESOLVED("resolved"),
    /** Affected, no fix released: unfixed, postponed, no-DSA, ignored, or support ended. */
    OPEN("open"),
    /** Not yet known whether the release is affected. */
    UNDETERMINED("undetermined");

    private final String label;

    TrackerStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<TrackerStatus> of(String text) {
        for (TrackerStatus s : values()) {
            if (s.label.equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
