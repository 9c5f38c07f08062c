package org.demi.compliance.evaluation;

import java.util.List;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.version.Version;

/**
 * One installed package against its release's archive.
 *
 * @param judgedAs       the source its CVEs and advisories are judged as: {@code source}, but for the kernel's
 *                       packages the tracker's kernel source at the running kernel's version (see {@link HostKernel})
 * @param newest         the newest version offered, null when not in the archive
 * @param newestSecurity the newest version a security suite offers, or null
 * @param advisories     ids of the open advisories that name this package's source
 * @param description    the synopsis from the host's status file (host-supplied text)
 * @param supportLimit   a limit debian-security-support puts on the source's security support in the host's release
 */
public record PackageEvaluation(String packageName, String architecture, Version installed, SourceRef source,
        SourceRef judgedAs, Version newest, Version newestSecurity, PackageState state, List<String> advisories, String description,
        java.util.Optional<SupportLimit> supportLimit) {
    public PackageEvaluation {
        advisories = List.copyOf(advisories);
        description = description == null ? "" : description;
        java.util.Objects.requireNonNull(supportLimit);
    }

    /** {@code name:arch}, as apt and dpkg-query name a package. */
    public String qualifiedName() {
        return packageName + ":" + architecture;
    }
}
