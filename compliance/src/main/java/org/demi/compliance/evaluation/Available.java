package org.demi.compliance.evaluation;

import java.util.Objects;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.version.Version;

/**
 * A binary package version that one suite of the mirror offers.
 *
 * @param suite    the suite's codename ({@code bookworm-security})
 * @param security whether the suite is a security suite: its updates are security fixes
 */
public record Available(String packageName, String architecture, Version version, SourceRef source, String suite,
        boolean security) {
    public Available {
        Objects.requireNonNull(packageName);
        Objects.requireNonNull(architecture);
        Objects.requireNonNull(version);
        Objects.requireNonNull(source);
        Objects.requireNonNull(suite);
    }
}
