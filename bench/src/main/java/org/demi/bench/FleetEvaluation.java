package org.demi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Available;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.PackageState;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.version.Version;

/**
 * Evaluates a generated fleet of 10,000 bookworm hosts (the fixture's development machine and
 * minimal install, versions varied per host) against the real bookworm and bookworm-security
 * indices and the DSA list, on all cores; beside it, real apt's {@code apt list --upgradable}
 * on one host in the same run, as the per-host cost a script around apt would pay.
 *
 * <p>usage: FleetEvaluation [HOSTS]
 */
public final class FleetEvaluation {
    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long t0 = System.nanoTime();
        ReleaseArchive archive = BenchFixtures.bookworm();
        AdvisoryIndex advisories = BenchFixtures.dsa();
        double loadS = seconds(t0);

        byte[] devStatus = BenchFixtures.raw("hosts/bookworm-dev/status");
        List<StatusEntry> dev = StatusFile.parse(devStatus, "dev");
        List<StatusEntry> min = BenchFixtures.status("bookworm-minbase");
        OsRelease os = OsRelease.parse(BenchFixtures.raw("hosts/bookworm-dev/os-release"));

        // Parsing: what a changed host's inventory costs before evaluation.
        int parses = 300;
        long p0 = System.nanoTime();
        for (int i = 0; i < parses; i++) {
            StatusFile.parse(devStatus, "dev");
        }
        double parseMs = seconds(p0) * 1000 / parses;

        long g0 = System.nanoTime();
        List<List<StatusEntry>> fleet = generate(hosts, archive, dev, min, new Random(42));
        long installed = fleet.stream().mapToLong(h -> h.stream().filter(StatusEntry::isInstalled).count()).sum();
        double generateS = seconds(g0);

        Evaluator evaluator = new Evaluator(Map.of("bookworm", archive), advisories);
        AtomicLong security = new AtomicLong();
        AtomicLong open = new AtomicLong();
        long e0 = System.nanoTime();
        IntStream.range(0, hosts).parallel().forEach(i -> {
            HostEvaluation e = evaluator.evaluate("host" + i, os, fleet.get(i));
            security.addAndGet(e.count(PackageState.SECURITY_UPDATE));
            open.addAndGet(e.openAdvisories().size());
        });
        double evaluateS = seconds(e0);

        double aptS = aptListUpgradable();
        System.out.printf("fleet: %,d hosts, %,d installed packages (%,d per host), 5%% of them at another version; %d cores%n",
                hosts, installed, installed / hosts, Runtime.getRuntime().availableProcessors());
        System.out.printf("  load bookworm + bookworm-security indices and the DSA list   %6.2f s (once)%n", loadS);
        System.out.printf("  generate the fleet                                           %6.2f s%n", generateS);
        System.out.printf("  evaluate every host (states + open advisories)               %6.2f s   target < 10 s: %s%n", evaluateS,
                evaluateS < 10 ? "met" : "MISSED");
        System.out.printf("  parse one 710-package status file (only changed hosts)       %6.2f ms -> %,.1f s for all %,d%n", parseMs,
                parseMs * hosts / 1000 / Runtime.getRuntime().availableProcessors(), hosts);
        System.out.printf("  reference: real apt list --upgradable, one host              %6.2f s -> %,.0f s for %,d hosts one by one%n",
                aptS, aptS * hosts, hosts);
        System.out.printf("  found: %,d pending security updates, %,d open advisories%n", security.get(), open.get());
    }

    /**
     * {@code hosts} hosts, 80% the development machine and 20% the minimal install, each with 5%
     * of its installed packages at another version.
     */
    static List<List<StatusEntry>> generate(int hosts, ReleaseArchive archive, List<StatusEntry> dev, List<StatusEntry> min,
            Random random) {
        List<List<StatusEntry>> fleet = new ArrayList<>(hosts);
        for (int h = 0; h < hosts; h++) {
            List<StatusEntry> base = h % 10 < 8 ? dev : min;
            List<StatusEntry> host = new ArrayList<>(base.size());
            for (StatusEntry e : base) {
                int dice = random.nextInt(100);
                if (e.isInstalled() && dice < 5) {
                    host.add(vary(e, archive, random));
                } else {
                    host.add(e);
                }
            }
            fleet.add(host);
        }
        return fleet;
    }

    /** Another version of the same package: one the archive has, or an older one it never had. */
    private static StatusEntry vary(StatusEntry e, ReleaseArchive archive, Random random) {
        List<Available> offered = archive.versionsOf(e.packageName());
        Version v = !offered.isEmpty() && random.nextBoolean() ? offered.get(random.nextInt(offered.size())).version()
                : Version.parse(e.version() + "~bench" + random.nextInt(50));
        SourceRef src = e.source().version().equals(e.version()) ? new SourceRef(e.source().name(), v) : e.source();
        return new StatusEntry(e.packageName(), e.architecture(), e.status(), v, src, e.section(), e.priority(), e.multiArch(),
                e.essential(), e.description());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Median wall time of apt list --upgradable for the development host, in a throw-away root. */
    private static double aptListUpgradable() throws Exception {
        Path root = Files.createTempDirectory("demi-bench-apt");
        try {
            Path repo = root.resolve("repo");
            StringBuilder sources = new StringBuilder();
            for (String suite : List.of("bookworm", "bookworm-security")) {
                Path dist = repo.resolve("dists/" + suite);
                Files.createDirectories(dist.resolve("main/binary-amd64"));
                Files.copy(BenchFixtures.path("archive/" + suite + "/InRelease"), dist.resolve("InRelease"));
                Files.copy(BenchFixtures.path("archive/" + suite + "/main/binary-amd64/Packages.xz"), dist.resolve("main/binary-amd64/Packages.xz"));
                sources.append("deb [arch=amd64 signed-by=").append(BenchFixtures.path("keyrings/debian-archive-keyring.gpg").toAbsolutePath())
                        .append("] file:").append(repo).append(' ').append(suite).append(" main\n");
            }
            for (String d : List.of("etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "var/lib/apt/lists/partial",
                    "var/cache/apt/archives/partial")) {
                Files.createDirectories(root.resolve(d));
            }
            Files.writeString(root.resolve("etc/apt/sources.list"), sources);
            List<String> common = List.of("-o", "Dir=" + root, "-o", "Dir::State::status=" + BenchFixtures.path("hosts/bookworm-dev/status").toAbsolutePath(),
                    "-o", "APT::Architecture=amd64", "-o", "Debug::NoLocking=1", "-o", "APT::Sandbox::User=root",
                    "-o", "Acquire::Languages=none", "-o", "Acquire::Check-Valid-Until=false");
            List<String> update = new ArrayList<>(List.of("apt-get", "-qq"));
            update.addAll(common);
            update.add("update");
            run(update);
            List<String> list = new ArrayList<>(List.of("apt"));
            list.addAll(common);
            list.addAll(List.of("list", "--upgradable"));
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                run(list);
                times.add(seconds(s));
            }
            times.sort(Double::compare);
            return times.get(times.size() / 2);
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
