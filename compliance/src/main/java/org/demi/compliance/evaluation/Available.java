package org.demi.compliance.evaluation;

import java.util.Objects;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.version.Version;

/**
 * A binary package version that one suite of the mirror offers.
 *
 * @param suite    the suite's codename ({@code bookworm-security})
 * @param security whether the suite is a security suite: its updates are security fixes
 * @param origin   where the file can be fetched from: the mirror's upstream name, or empty
 * @param filename the .deb's path below that archive's root ({@code pool/...}), or empty
 */
public record Available(String packageName, String architecture, Version version, SourceRef source, String suite,
        boolean security, String origin, String filename) {
    public Available {
        Objects.requireNonNull(packageName);
        Objects.requireNonNull(architecture);
        Objects.requireNonNull(version);
        Objects.requireNonNull(source);
        Objects.requireNonNull(suite);
        origin = origin == null ? "" : origin;
        filename = filename == null ? "" : filename;
    }
}
