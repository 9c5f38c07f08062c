package org.demi.compliance.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.tracker.CveRelease;
import org.demi.compliance.tracker.TrackerData;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.version.Version;

/**
 * Evaluates hosts against the archives of their releases and the advisories. Each distinct
 * (release, package, architecture, version) is judged once and remembered, and so is each
 * distinct (release, source, source version) against the advisories: ten thousand hosts
 * share most of their packages. Safe for concurrent use.
 */
public final class Evaluator {
    private final Map<String, ReleaseArchive> archives;
    private final AdvisoryIndex advisories;
    private final Map<PackageKey, Judgement> judged = new ConcurrentHashMap<>();
    private final Map<SourceKey, List<AdvisoryIndex.Entry>> openBySource = new ConcurrentHashMap<>();

    private record PackageKey(String release, String name, String arch, String nativeArch, Version version) {
    }

    private record SourceKey(String release, String source, Version version) {
    }

    /**
     * What a source's CVEs depend on: the release, the source version, and the binaries whose
     * candidates may fix them; for the kernel, what is installed and what the mirror offers.
     */
    private record CveKey(String release, String source, Version version, String nativeArch, List<String> binaries,
            KernelFix kernel) {
    }

    /**
     * A kernel's fixes come as images of a new ABI, under new package names: judged by the newest
     * image of its flavour installed, and the newest the mirror offers through the flavour's
     * meta-package ({@code linux-image-amd64}); null when the mirror has none.
     */
    private record KernelFix(Version installed, Version offered) {
    }

    private static final CveFindings NO_CVE = CveFindings.of(List.of(), id -> false);

    /** @param newestSource the source version of the newest candidate, which an advisory's fixed version is compared with */
    private record Judgement(Version newest, Version newestSecurity, Version newestSource, PackageState state) {
    }

    private final ReleaseCalendar calendar;
    private final java.time.LocalDate today;
    private final TrackerData tracker;
    private final SecuritySupport securitySupport;
    /** Per release and source name: the lists' patterns are matched once per distinct source, not per package and host. */
    private final Map<SourceKey, Optional<SupportLimit>> limits = new ConcurrentHashMap<>();
    private final Map<CveKey, CveFindings> cvesJudged = new ConcurrentHashMap<>();
    /** A fingerprint of everything this evaluator was made from, when its maker named it ({@link #madeFrom}). */
    private final String inputs;
    private final Map<SourceKey, Map<String, List<String>>> advisoriesByCve = new ConcurrentHashMap<>();

    public Evaluator(Map<String, ReleaseArchive> archives, AdvisoryIndex advisories) {
        this(archives, advisories, ReleaseCalendar.NONE, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    }

    /** @param calendar Debian's release dates, judged as of {@code today} */
    public Evaluator(Map<String, ReleaseArchive> archives, AdvisoryIndex advisories, ReleaseCalendar calendar,
            java.time.LocalDate today) {
        this(archives, advisories, TrackerData.empty(), calendar, today);
    }

    /** @param tracker the security tracker's CVE data, each CVE judged per host through its source package */
    public Evaluator(Map<String, ReleaseArchive> archives, AdvisoryIndex advisories, TrackerData tracker,
            ReleaseCalendar calendar, java.time.LocalDate today) {
        this(archives, advisories, tracker, calendar, SecuritySupport.NONE, today);
    }

    /** @param support debian-security-support's lists: sources whose support ended, ends early, or is limited */
    public Evaluator(Map<String, ReleaseArchive> archives, AdvisoryIndex advisories, TrackerData tracker,
            ReleaseCalendar calendar, SecuritySupport support, java.time.LocalDate today) {
        this.archives = Map.copyOf(archives);
        this.advisories = advisories;
        this.tracker = tracker;
        this.calendar = calendar;
        this.securitySupport = support;
        this.today = today;
        this.inputs = null;
    }

    private Evaluator(Evaluator e, String inputs) {
        this.archives = e.archives;
        this.advisories = e.advisories;
        this.tracker = e.tracker;
        this.calendar = e.calendar;
        this.securitySupport = e.securitySupport;
        this.today = e.today;
        this.inputs = inputs;
    }

    /**
     * This evaluator, known to judge exactly as any other made from {@code inputs} does: a
     * fingerprint of everything it was made from (the archives, the advisory data, what the date decides,
     * the code that judges). Two evaluators with the same fingerprint give every host the same
     * evaluation, so what one judged need not be judged again by the other.
     */
    public Evaluator madeFrom(String inputs) {
        return new Evaluator(this, java.util.Objects.requireNonNull(inputs));
    }

    /** The fingerprint of what this evaluator was made from; empty when its maker did not name it. */
    public Optional<String> inputs() {
        return Optional.ofNullable(inputs);
    }


    /** The tracker's CVE data this evaluator judges by. */
    public TrackerData tracker() {
        return tracker;
    }

    /** The newest version of {@code packageName} the archives this evaluator judges by offer. */
    public Optional<Available> newest(String packageName) {
        return ReleaseArchive.newest(archives.values(), packageName);
    }

    /** The release dates this evaluator judges support by. */
    public ReleaseCalendar calendar() {
        return calendar;
    }

    /** An evaluator with no archive and no advisory: every host's release is not mirrored. */
    public static Evaluator empty() {
        return new Evaluator(Map.of(), new AdvisoryIndex(List.of()));
    }

    /** The archive this evaluator judges a release's hosts by, if it has one. */
    public Optional<ReleaseArchive> archive(String release) {
        return Optional.ofNullable(archives.get(release));
    }

    /** Evaluates one inventory, as parsed when it was received. */
    public HostEvaluation evaluate(String host, Inventory inventory) {
        List<StatusEntry> status = inventory.entries();
        return evaluate(host, HostRelease.detect(inventory.osRelease(), status), status, inventory.running());
    }

    public HostEvaluation evaluate(String host, OsRelease osRelease, List<StatusEntry> status) {
        return evaluate(host, HostRelease.detect(osRelease, status), status);
    }

    public HostEvaluation evaluate(String host, Optional<String> release, List<StatusEntry> status) {
        return evaluate(host, release, status, Optional.empty());
    }

    /**
     * @param running what the host said of the kernel and processes it runs: its kernel's CVEs are
     *                judged at the running kernel's version, and what it must restart is told
     */
    public HostEvaluation evaluate(String host, Optional<String> release, List<StatusEntry> status,
            Optional<org.demi.compliance.inventory.RunningSystem> running) {
        List<StatusEntry> installed = status.stream().filter(StatusEntry::isInstalled).toList();
        ReleaseArchive archive = release.map(archives::get).orElse(null);
        ReleaseSupport support = release.isEmpty() ? ReleaseSupport.UNKNOWN
                : archive == null ? ReleaseSupport.NOT_MIRRORED : calendar.support(release.get(), today);
        String nativeArch = nativeArchitecture(installed);
        Optional<HostKernel> kernel = HostKernel.of(installed, running);

        // Open advisories, by source as judged: every installed binary of the source shares them.
        Map<StatusEntry, SourceRef> judgedAs = new java.util.IdentityHashMap<>();
        Map<SourceRef, List<StatusEntry>> bySource = new LinkedHashMap<>();
        for (StatusEntry e : installed) {
            SourceRef as = judgedAs(e, kernel);
            judgedAs.put(e, as);
            bySource.computeIfAbsent(as, k -> new ArrayList<>()).add(e);
        }
        List<OpenAdvisory> open = new ArrayList<>();
        Map<SourceRef, List<String>> idsBySource = new LinkedHashMap<>();
        if (release.isPresent()) {
            String r = release.get();
            bySource.forEach((src, binaries) -> {
                List<AdvisoryIndex.Entry> entries = openBySource.computeIfAbsent(new SourceKey(r, src.name(), src.version()),
                        k -> advisories.entries(r, src.name()).stream().filter(en -> en.opensAt(src.version())).toList());
                for (AdvisoryIndex.Entry en : entries) {
                    open.add(new OpenAdvisory(en.advisory().id(), en.advisory().date(), src.name(), en.fix().kind(),
                            en.fix().fixedVersion(), src.version(),
                            binaryNames(binaries, false), en.advisory().cves()));
                    idsBySource.computeIfAbsent(src, k -> new ArrayList<>()).add(en.advisory().id());
                }
            });
        }
        open.sort(Comparator.comparing(OpenAdvisory::date).thenComparing(OpenAdvisory::id).thenComparing(OpenAdvisory::source));

        List<PackageEvaluation> packages = new ArrayList<>(installed.size());
        Map<String, Version> candidateSource = new java.util.HashMap<>();
        for (StatusEntry e : installed) {
            Judgement j = archive == null ? new Judgement(null, null, null, PackageState.NOT_IN_ARCHIVE)
                    : judged.computeIfAbsent(new PackageKey(archive.release(), e.packageName(), e.architecture(), nativeArch,
                            e.version()), k -> judge(archive, k));
            if (j.newestSource() != null) {
                candidateSource.put(e.packageName() + ":" + e.architecture(), j.newestSource());
            }
            PackageState state = j.state();
            SourceRef as = judgedAs.get(e);
            // A kernel's fix comes under a new image's name: its CVEs' states say whether the mirror has it.
            boolean kernelPackage = kernel.isPresent() && as.name().equals(kernel.get().source());
            if ((state == PackageState.CURRENT || state == PackageState.UPDATE) && !kernelPackage
                    && fixBeyond(open, e.source(), j.newestSource())) {
                state = PackageState.FIX_NOT_IN_MIRROR;
            }
            Optional<SupportLimit> limit = release.isEmpty() || securitySupport == SecuritySupport.NONE ? Optional.empty()
                    : limits.computeIfAbsent(new SourceKey(release.get(), e.source().name(), null),
                            k -> securitySupport.limit(k.source(), calendar.version(k.release()), today));
            packages.add(new PackageEvaluation(e.packageName(), e.architecture(), e.version(), e.source(), as, j.newest(),
                    j.newestSecurity(), state, idsBySource.getOrDefault(as, List.of()), e.description(), limit));
        }
        List<CveFindings> cves = new ArrayList<>();
        if (release.isPresent()) {
            String r = release.get();
            bySource.forEach((src, binaries) -> {
                if (tracker.items(r, src.name()).isEmpty()) {
                    return;
                }
                List<String> names = binaryNames(binaries, true);
                KernelFix fix = kernel.filter(k -> k.source().equals(src.name())).map(k -> new KernelFix(k.newestVersion(),
                        archive == null ? null : offered(archive, k, nativeArch))).orElse(null);
                cves.add(cvesJudged.computeIfAbsent(new CveKey(r, src.name(), src.version(), nativeArch, names, fix),
                        k -> judgeCves(k, candidateSource)));
            });
        }
        return new HostEvaluation(host, release, support, nativeArch, packages, open, cves, kernel, running);
    }

    /** Each binary as {@code name:arch}, sorted or as given; asked per source and host, so without a stream. */
    private static List<String> binaryNames(List<StatusEntry> binaries, boolean sorted) {
        String[] names = new String[binaries.size()];
        for (int i = 0; i < names.length; i++) {
            StatusEntry b = binaries.get(i);
            names[i] = b.packageName() + ":" + b.architecture();
        }
        if (sorted) {
            Arrays.sort(names);
        }
        return List.of(names);
    }

    /**
     * The source an installed package's CVEs and advisories are judged as: its own, but the
     * kernel's packages as the tracker's kernel source at the running kernel's version, and
     * another signed kernel's under the tracker's name at its own version.
     */
    private static SourceRef judgedAs(StatusEntry e, Optional<HostKernel> kernel) {
        Optional<String> trackerSource = HostKernel.trackerSource(e);
        if (trackerSource.isEmpty()) {
            return e.source();
        }
        if (kernel.isPresent() && kernel.get().source().equals(trackerSource.get())) {
            return new SourceRef(trackerSource.get(), kernel.get().judgedAt());
        }
        return trackerSource.get().equals(e.source().name()) ? e.source() : new SourceRef(trackerSource.get(), e.version());
    }

    /** The newest kernel of the host's flavour the mirror offers, through the flavour's meta-package. */
    private static Version offered(ReleaseArchive archive, HostKernel k, String nativeArch) {
        ReleaseArchive.Candidates c = archive.candidates("linux-image-" + k.flavour(), nativeArch, nativeArch);
        return c.newest() == null ? null : c.newest().version();
    }

    /**
     * Each CVE the tracker lists for one installed source in the host's release. A fix is
     * available when the mirror offers every installed binary of the source in a version whose
     * source is at or above the fixed version: then {@code apt-get upgrade} from the mirror
     * closes it.
     */
    private CveFindings judgeCves(CveKey k, Map<String, Version> candidateSource) {
        List<TrackerData.Item> items = tracker.items(k.release(), k.source());
        if (items.isEmpty()) {
            return NO_CVE;
        }
        Map<String, List<String>> fixedBy = advisoriesByCve.computeIfAbsent(new SourceKey(k.release(), k.source(), null),
                sk -> advisoryIdsByCve(sk.release(), sk.source()));
        List<HostCve> all = new ArrayList<>(items.size());
        for (TrackerData.Item item : items) {
            CveRelease rel = item.release();
            CveState state = switch (rel.status()) {
                case UNDETERMINED -> CveState.UNDETERMINED;
                case OPEN -> CveState.NO_FIX;
                case RESOLVED -> rel.notAffected() ? CveState.NOT_AFFECTED
                        : k.version().compareTo(rel.fixedVersion()) >= 0 ? CveState.FIXED
                        : k.kernel() != null ? kernelState(k.kernel(), rel.fixedVersion())
                        : k.binaries().stream().allMatch(b -> candidateSource.containsKey(b)
                                && candidateSource.get(b).compareTo(rel.fixedVersion()) >= 0) ? CveState.FIX_AVAILABLE
                        : CveState.FIX_NOT_IN_MIRROR;
            };
            all.add(new HostCve(item.entry().id(), k.source(), k.version(), k.binaries(), state, rel, item.entry().scope(),
                    fixedBy.getOrDefault(item.entry().id(), List.of())));
        }
        return CveFindings.of(all, tracker::multiSource);
    }

    /** A kernel CVE the running kernel is below the fix of. */
    private static CveState kernelState(KernelFix k, Version fixed) {
        return k.installed().compareTo(fixed) >= 0 ? CveState.FIXED_PENDING_REBOOT
                : k.offered() != null && k.offered().compareTo(fixed) >= 0 ? CveState.FIX_AVAILABLE
                : CveState.FIX_NOT_IN_MIRROR;
    }

    /** For one source in one release, the advisories that fix it, by the CVE ids they name. */
    private Map<String, List<String>> advisoryIdsByCve(String release, String source) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        for (AdvisoryIndex.Entry e : advisories.entries(release, source)) {
            for (String cve : e.advisory().cves()) {
                out.computeIfAbsent(cve, c -> new ArrayList<>()).add(e.advisory().id());
            }
        }
        return out;
    }

    /** Whether an advisory open on this installed source is fixed only in a version newer than the mirror's newest. */
    private static boolean fixBeyond(List<OpenAdvisory> open, SourceRef source, Version newestSource) {
        for (OpenAdvisory a : open) {
            if (a.source().equals(source.name()) && a.installedSourceVersion().equals(source.version()) && a.fixedVersion() != null
                    && (newestSource == null || newestSource.compareTo(a.fixedVersion()) < 0)) {
                return true;
            }
        }
        return false;
    }

    private static Judgement judge(ReleaseArchive archive, PackageKey k) {
        ReleaseArchive.Candidates c = archive.candidates(k.name(), k.arch(), k.nativeArch());
        if (c.newest() == null) {
            return new Judgement(null, null, null, PackageState.NOT_IN_ARCHIVE);
        }
        Version newest = c.newest().version();
        Version security = c.newestSecurity() == null ? null : c.newestSecurity().version();
        int cmp = k.version().compareTo(newest);
        PackageState state = cmp == 0 ? PackageState.CURRENT
                : cmp > 0 ? PackageState.NEWER_THAN_ARCHIVE
                : security != null && security.compareTo(k.version()) > 0 ? PackageState.SECURITY_UPDATE
                : PackageState.UPDATE;
        return new Judgement(newest, security, c.newest().source().version(), state);
    }

    /** dpkg's own architecture is the native one; failing that, the commonest non-{@code all} one. */
    static String nativeArchitecture(List<StatusEntry> installed) {
        for (StatusEntry e : installed) {
            if (e.packageName().equals("dpkg") && !e.architecture().isEmpty()) {
                return e.architecture();
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        installed.stream().map(StatusEntry::architecture).filter(a -> !a.isEmpty() && !a.equals("all"))
                .forEach(a -> counts.merge(a, 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("all");
    }
}
