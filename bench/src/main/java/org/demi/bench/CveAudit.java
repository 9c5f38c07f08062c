package org.demi.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Available;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.tracker.TrackerData;
import org.demi.compliance.tracker.TrackerJson;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.status.StatusEntry;

/**
 * The CVE audit at the real tracker's size: a JSON feed generated in the tracker's format with
 * 40,000 CVEs over 15,000 source packages (the real bookworm index's sources, the installed ones
 * among them) and 5 releases, parsed streaming (time and heap); then 10,000 generated bookworm
 * hosts evaluated with it, beside today's DSA-only evaluation of the same hosts in the same run,
 * each cold (a new evaluator, nothing judged yet) and warm (the same evaluator again).
 *
 * Last, the search index for the first INDEX_HOSTS of those hosts, built with and without the
 * CVE documents (one per host and open CVE), its time and size side by side.
 *
 * <p>usage: CveAudit [HOSTS] [CVES] [SOURCES] [INDEX_HOSTS]
 */
public final class CveAudit {
    static final List<String> RELEASES = List.of("bullseye", "bookworm", "trixie", "forky", "sid");

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int cves = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        int sources = args.length > 2 ? Integer.parseInt(args[2]) : 15_000;
        int indexHosts = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;

        ReleaseArchive archive = BenchFixtures.bookworm();
        AdvisoryIndex advisories = BenchFixtures.dsa();
        List<StatusEntry> dev = BenchFixtures.status("bookworm-dev");
        List<StatusEntry> min = BenchFixtures.status("bookworm-minbase");
        OsRelease os = OsRelease.parse(BenchFixtures.raw("hosts/bookworm-dev/os-release"));

        Path feed = Files.createTempFile("demi-bench-tracker", ".json");
        try {
            Map<String, String> sourceVersions = sourceVersions(archive, dev, min, sources);
            long written = generate(feed, sourceVersions, cves, new Random(7));

            // Parse: the first time (classes loading, the JIT cold), then the median of five.
            System.gc();
            long before = usedHeap();
            resetPeaks();
            long p0 = System.nanoTime();
            TrackerData data = parse(feed);
            double coldParse = seconds(p0);
            long peak = peakHeap();
            System.gc();
            long retained = usedHeap() - before;
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                parse(feed);
                warm.add(seconds(t));
            }
            warm.sort(Double::compare);

            List<List<StatusEntry>> fleet = FleetEvaluation.generate(hosts, archive, dev, min, new Random(42));
            LocalDate today = LocalDate.of(2026, 12, 1);
            System.out.printf("tracker feed: %,d CVEs over %,d source entries (%,d sources), releases %s; %,.1f MB as JSON; %d cores%n",
                    data.ids(), data.size(), sourceVersions.size(), String.join(" ", RELEASES), written / 1e6,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("  parse, cold                                     %6.2f s    target < 5 s: %s%n", coldParse,
                    coldParse < 5 ? "met" : "MISSED");
            System.out.printf("  parse, warm (median of 5)                       %6.2f s%n", warm.get(2));
            System.out.printf("  heap: peak during the first parse %,6d MB, retained %,d MB   target < 512 MB: %s%n", peak >> 20,
                    retained >> 20, peak < 512L << 20 ? "met" : "MISSED");

            Evaluator dsaOnly = new Evaluator(Map.of("bookworm", archive), advisories, ReleaseCalendar.NONE, today);
            Evaluator withCves = new Evaluator(Map.of("bookworm", archive), advisories, data, ReleaseCalendar.NONE, today);
            System.out.printf("evaluating %,d bookworm hosts (80%% the 710-package machine, 20%% minimal; 5%% of packages at other versions):%n",
                    hosts);
            double[] reference = evaluate(dsaOnly, fleet, os, "DSA only (as before)");
            double[] audit = evaluate(withCves, fleet, os, "DSAs and every CVE of the tracker");
            System.out.printf("  the CVE audit costs %.1fx the DSA-only evaluation cold, %.1fx warm;  target < 10 s: %s%n",
                    audit[0] / reference[0], audit[1] / reference[1], audit[0] < 10 ? "met" : "MISSED");
            System.out.printf("indexing the first %,d of them (evaluation included, all cores):%n", indexHosts);
            index(new Evaluator(Map.of("bookworm", archive), advisories, ReleaseCalendar.NONE, today), fleet, os, indexHosts,
                    "DSA only (as before)");
            index(new Evaluator(Map.of("bookworm", archive), advisories, data, ReleaseCalendar.NONE, today), fleet, os, indexHosts,
                    "with a document per open CVE");
        } finally {
            Files.deleteIfExists(feed);
        }
    }

    /** Builds a fresh index of the first {@code n} hosts and prints its time, documents and size. */
    private static void index(Evaluator evaluator, List<List<StatusEntry>> fleet, OsRelease os, int n, String what) throws Exception {
        Path dir = Files.createTempDirectory("demi-bench-cve-index");
        try (org.demi.index.FleetIndex index = org.demi.index.FleetIndex.open(dir)) {
            long t0 = System.nanoTime();
            IntStream.range(0, n).parallel().forEach(i -> {
                HostEvaluation e = evaluator.evaluate("host" + i, os, fleet.get(i));
                try {
                    index.replaceHost(new org.demi.index.IndexedHost("host" + i, List.of("g" + i % 20),
                            org.demi.compliance.evaluation.Verdict.NON_COMPLIANT, java.util.Optional.empty(), "c" + i, e));
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
            index.commit();
            index.refresh();
            double s = seconds(t0);
            long docs = index.count(org.demi.index.SearchQuery.parse("")) + index.count(org.demi.index.SearchQuery.parse("type:host"))
                    + index.count(org.demi.index.SearchQuery.parse("type:cve"));
            long bytes;
            try (var walk = Files.walk(dir)) {
                bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("  %-40s %6.1f s   %,11d documents   %,6d MB%n", what, s, docs, bytes >> 20);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Cold and warm seconds for the whole fleet on all cores; prints them with what was found. */
    private static double[] evaluate(Evaluator evaluator, List<List<StatusEntry>> fleet, OsRelease os, String what) {
        double[] t = new double[2];
        for (int pass = 0; pass < 2; pass++) {
            AtomicLong open = new AtomicLong();
            AtomicLong fixable = new AtomicLong();
            long t0 = System.nanoTime();
            IntStream.range(0, fleet.size()).parallel().forEach(i -> {
                HostEvaluation e = evaluator.evaluate("host" + i, os, fleet.get(i));
                Map<CveState, Integer> counts = e.cveCounts();
                counts.forEach((s, n) -> {
                    if (s.open()) {
                        open.addAndGet(n);
                    }
                });
                fixable.addAndGet(counts.get(CveState.FIX_AVAILABLE));
            });
            t[pass] = seconds(t0);
            if (pass == 0) {
                System.out.printf("  %-40s cold %6.2f s", what, t[0]);
            } else {
                System.out.printf("   warm %6.2f s   (%,d open CVEs on hosts, %,d with a fix available)%n", t[1], open.get(), fixable.get());
            }
        }
        return t;
    }

    /**
     * Source package → version in the archive, for {@code count} sources: every source the
     * fixture hosts have installed, then the archive's others.
     */
    static Map<String, String> sourceVersions(ReleaseArchive archive, List<StatusEntry> dev, List<StatusEntry> min, int count) {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<StatusEntry> host : List.of(dev, min)) {
            for (StatusEntry e : host) {
                out.putIfAbsent(e.source().name(), e.source().version().toString());
            }
        }
        for (String name : archive.packageNames()) {
            if (out.size() >= count) {
                break;
            }
            for (Available a : archive.versionsOf(name)) {
                out.putIfAbsent(a.source().name(), a.source().version().toString());
            }
        }
        return out;
    }

    /**
     * Writes a feed in the tracker's JSON format: CVEs spread over the sources with a long tail
     * (a few sources, like the kernel's, have thousands), each listed for every release with the
     * tracker's mix of states: 85% resolved (half at the archive's version, a third never
     * affected, the rest below it or beyond what the archive has), 12% open (a fifth of them
     * no-DSA or postponed), 3% undetermined;
     * urgencies as skewed as the real ones, a quarter from NVD.
     *
     * @return bytes written
     */
    static long generate(Path feed, Map<String, String> sourceVersions, int cves, Random random) throws IOException {
        List<String> names = new ArrayList<>(sourceVersions.keySet());
        // Every source has at least one CVE; the rest go to sources in a random order with a long
        // tail (the source of rank r gets a share proportional to 1/r), so installed sources are
        // not favoured.
        List<String> ranked = new ArrayList<>(names);
        java.util.Collections.shuffle(ranked, random);
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int c = 0; c < cves; c++) {
            String source = c < names.size() ? names.get(c)
                    : ranked.get((int) Math.min(ranked.size() - 1, Math.floor(Math.pow(ranked.size(), random.nextDouble())) - 1));
            bySource.computeIfAbsent(source, k -> new ArrayList<>()).add(c);
            if (random.nextInt(20) == 0) {
                // One in twenty is listed under a second source too (an embedded copy, a fork).
                bySource.computeIfAbsent(ranked.get(random.nextInt(ranked.size())), k -> new ArrayList<>()).add(c);
            }
        }
        String[] urgencies = {"unimportant", "low", "low", "medium", "medium", "medium", "high", "not yet assigned", "end-of-life"};
        try (JsonGenerator g = new JsonFactory().createGenerator(Files.newOutputStream(feed))) {
            g.writeStartObject();
            for (String source : names) {
                List<Integer> ids = bySource.get(source);
                g.writeObjectFieldStart(source);
                for (int id : ids) {
                    g.writeObjectFieldStart(String.format("CVE-%d-%d", 2015 + id % 11, 10000 + id));
                    g.writeStringField("scope", random.nextInt(3) == 0 ? "local" : "remote");
                    g.writeStringField("description", "A generated flaw in " + source + " that lets an attacker do something unwelcome "
                            + "through a crafted input, number " + id + ", of about the length of a real NVD description.");
                    g.writeObjectFieldStart("releases");
                    for (String release : RELEASES) {
                        g.writeObjectFieldStart(release);
                        int roll = random.nextInt(100);
                        String urgency = urgencies[random.nextInt(urgencies.length)] + (random.nextInt(4) == 0 ? "**" : "");
                        if (roll < 85) {
                            g.writeStringField("status", "resolved");
                            int kind = random.nextInt(10);
                            String v = sourceVersions.get(source);
                            g.writeStringField("fixed_version", kind < 5 ? v : kind < 8 ? "0" : kind < 9 ? v + "+deb12u99" : v + "~old1");
                        } else if (roll < 97) {
                            g.writeStringField("status", "open");
                            if (random.nextInt(5) == 0) {
                                g.writeStringField("nodsa", "Minor issue");
                                g.writeStringField("nodsa_reason", random.nextBoolean() ? "postponed" : "");
                            }
                        } else {
                            g.writeStringField("status", "undetermined");
                        }
                        g.writeObjectFieldStart("repositories");
                        g.writeStringField(release, sourceVersions.get(source));
                        g.writeEndObject();
                        g.writeStringField("urgency", urgency);
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return Files.size(feed);
    }

    static TrackerData parse(Path feed) throws IOException {
        try (InputStream in = Files.newInputStream(feed)) {
            return TrackerJson.parse(in, feed.toString());
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since the reset: an upper bound of the heap in use at once. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
