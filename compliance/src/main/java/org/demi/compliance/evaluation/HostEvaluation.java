package org.demi.compliance.evaluation;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host's installed packages against its release's archive and the advisories.
 *
 * @param release            the codename, empty when unknown
 * @param nativeArchitecture dpkg's own architecture on the host
 */
public record HostEvaluation(String host, Optional<String> release, ReleaseSupport support, String nativeArchitecture,
        List<PackageEvaluation> packages, List<OpenAdvisory> openAdvisories) {
    public HostEvaluation {
        packages = List.copyOf(packages);
        openAdvisories = List.copyOf(openAdvisories);
    }

    public Map<PackageState, Integer> counts() {
        Map<PackageState, Integer> counts = new EnumMap<>(PackageState.class);
        for (PackageState s : PackageState.values()) {
            counts.put(s, 0);
        }
        packages.forEach(p -> counts.merge(p.state(), 1, Integer::sum));
        return counts;
    }

    public long count(PackageState state) {
        return packages.stream().filter(p -> p.state() == state).count();
    }

    /** The date of the oldest advisory still open, the day the host's exposure began at the latest. */
    public Optional<LocalDate> oldestOpenAdvisory() {
        return openAdvisories.stream().map(OpenAdvisory::date).min(LocalDate::compareTo);
    }

    /** No security update pending and no advisory open, on a release Demi can evaluate. */
    public boolean compliant() {
        return support.securitySupported() && count(PackageState.SECURITY_UPDATE) == 0 && openAdvisories.isEmpty();
    }
}
