package org.demi.compliance.advisory;

import java.util.Objects;
import org.demi.deb.version.Version;

/**
 * One {@code [release] - source ...} line of an advisory.
 *
 * @param fixedVersion the source version that fixes it, for {@link FixKind#FIXED} only
 * @param note         the parenthesised remark after a marker, or empty
 */
public record ReleaseFix(String release, String source, FixKind kind, Version fixedVersion, String note) {
    public ReleaseFix {
        Objects.requireNonNull(release);
        Objects.requireNonNull(source);
        Objects.requireNonNull(kind);
        if ((kind == FixKind.FIXED) != (fixedVersion != null)) {
            throw new IllegalArgumentException("a fixed version goes with FIXED, and only with it");
        }
        note = note == null ? "" : note;
    }
}
