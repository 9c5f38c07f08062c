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
 * @param kernel             the kernel it runs against its installed images, when it has a Debian kernel image
 * @param running            what the host said of its running system
 */
public record HostEvaluation(String host, Optional<String> release, ReleaseSupport support, String nativeArchitecture,
        List<PackageEvaluation> packages, List<OpenAdvisory> openAdvisories, List<CveFindings> cveFindings,
        Optional<HostKernel> kernel, Optional<org.demi.compliance.inventory.RunningSystem> running) {
    public HostEvaluation {
        packages = List.copyOf(packages);
        openAdvisories = List.copyOf(openAdvisories);
        cveFindings = List.copyOf(cveFindings);
        java.util.Objects.requireNonNull(kernel);
        java.util.Objects.requireNonNull(running);
    }

    /** Without what it runs. */
    public HostEvaluation(String host, Optional<String> release, ReleaseSupport support, String nativeArchitecture,
            List<PackageEvaluation> packages, List<OpenAdvisory> openAdvisories, List<CveFindings> cveFindings) {
        this(host, release, support, nativeArchitecture, packages, openAdvisories, cveFindings, Optional.empty(), Optional.empty());
    }

    /** Without the tracker's CVE data. */
    public HostEvaluation(String host, Optional<String> release, ReleaseSupport support, String nativeArchitecture,
            List<PackageEvaluation> packages, List<OpenAdvisory> openAdvisories) {
        this(host, release, support, nativeArchitecture, packages, openAdvisories, List.of());
    }

    /** What it must reboot or restart to run what it has installed, from its kernel and what it said it runs. */
    public Restarts restarts() {
        return Restarts.of(kernel, running);
    }

    /** The CVEs the host is open to (or may be), by concern: state, then urgency, then id. */
    public List<HostCve> openCves() {
        return cveFindings.stream().flatMap(f -> f.open().stream()).sorted(HostCve.BY_CONCERN).toList();
    }

    /** Every CVE the tracker lists for an installed source in the host's release, fixed and not-affected included. */
    public java.util.stream.Stream<HostCve> allCves() {
        return cveFindings.stream().flatMap(f -> f.all().stream());
    }

    /**
     * Per state, how many distinct CVE ids: a CVE listed for two installed sources, or for one
     * source at two versions, counts once, in the worse of its states.
     */
    public Map<CveState, Integer> cveCounts() {
        Map<CveState, Integer> counts = new EnumMap<>(CveState.class);
        for (CveState s : CveState.values()) {
            counts.put(s, 0);
        }
        // A CVE listed under one source only is counted by that source's shared findings, unless
        // the host has the source at two versions; the others are merged by id, worst state kept.
        java.util.Set<String> sources = new java.util.HashSet<>();
        Map<String, CveState> worst = new java.util.HashMap<>();
        boolean twice = false;
        for (CveFindings f : cveFindings) {
            twice |= !f.all().isEmpty() && !sources.add(f.all().get(0).source());
        }
        for (CveFindings f : cveFindings) {
            if (twice) {
                f.all().forEach(c -> worst.merge(c.id(), c.state(), (a, b) -> a.compareTo(b) <= 0 ? a : b));
            } else {
                f.counts().forEach((s, n) -> counts.merge(s, n, Integer::sum));
                f.shared().forEach(c -> worst.merge(c.id(), c.state(), (a, b) -> a.compareTo(b) <= 0 ? a : b));
            }
        }
        worst.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
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

    /**
     * Whether a reboot alone would close this open advisory: it fixes the kernel, whose newest
     * installed image has the fix while the host runs an older one.
     */
    public boolean closedByReboot(OpenAdvisory a) {
        return kernel.filter(HostKernel::behind).filter(k -> k.source().equals(a.source())
                && a.installedSourceVersion().equals(k.judgedAt()) && a.fixedVersion() != null
                && k.newestVersion().compareTo(a.fixedVersion()) >= 0).isPresent();
    }

    /**
     * Compliant but for a reboot: no security update pending, and every open advisory is closed
     * by booting the kernel already installed.
     */
    public boolean compliantOnceRebooted() {
        return support.securitySupported() && count(PackageState.SECURITY_UPDATE) == 0
                && openAdvisories.stream().allMatch(this::closedByReboot);
    }
}
