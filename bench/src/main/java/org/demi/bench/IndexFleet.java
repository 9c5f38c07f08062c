package org.demi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.demi.compliance.evaluation.Available;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.Verdict;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.version.Version;
import org.demi.index.FleetIndex;
import org.demi.index.IndexedHost;
import org.demi.index.SearchQuery;

/**
 * Builds the index for a generated fleet (the fixture bookworm hosts, 5% of packages at other
 * versions, in groups) on all cores, reports its size, then measures a fixed set of
 * filtered, sorted and faceted queries under 8 concurrent clients, and how long one host's
 * change takes to become searchable.
 *
 * <p>usage: IndexFleet [HOSTS] [SECONDS]
 */
public final class IndexFleet {
    static final List<String> QUERIES = List.of(
            "state:security-update",
            "state:security-update sort:-version",
            "package:openssl version:<<3.0.11-1~deb12u2",
            "package:libssl* sort:host",
            "group:g7 state:update state:security-update sort:package",
            "type:host verdict:non-compliant sort:-security_updates",
            "type:host security_updates:>5 sort:host",
            "host:host42",
            "host:host4242 sort:-version",
            "source:systemd newest:>=252",
            "library sort:package",
            "release:bookworm arch:all state:current");

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int cores = Runtime.getRuntime().availableProcessors();
        ReleaseArchive archive = BenchFixtures.bookworm();
        Evaluator evaluator = new Evaluator(Map.of("bookworm", archive),
                BenchFixtures.dsa());
        List<StatusEntry> dev = BenchFixtures.status("bookworm-dev");
        List<StatusEntry> min = BenchFixtures.status("bookworm-minbase");
        OsRelease os = OsRelease.parse(BenchFixtures.raw("hosts/bookworm-dev/os-release"));

        Path dir = Files.createTempDirectory("demi-bench-index");
        try {
            FleetIndex index = FleetIndex.open(dir);
            AtomicLong docs = new AtomicLong();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(cores);
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                int core = c;
                jobs.add(pool.submit(() -> {
                    for (int h = core; h < hosts; h += cores) {
                        HostEvaluation e = evaluator.evaluate("host" + h, os, host(h, dev, min, archive));
                        index.replaceHost(new IndexedHost("host" + h, List.of("g" + h % 20), e.compliant() ? Verdict.COMPLIANT
                                : Verdict.NON_COMPLIANT, Optional.of(Instant.parse("2026-11-24T08:00:00Z")), "c" + h, e));
                        docs.addAndGet(1 + e.packages().size());
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
            pool.shutdown();
            index.commit();
            index.refresh();
            double buildS = (System.nanoTime() - t0) / 1e9;
            long bytes;
            try (var walk = Files.walk(dir)) {
                bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("index: %,d hosts, %,d documents, built (evaluation included) in %.1f s on %d cores; %,.0f MB on disk%n",
                    hosts, docs.get(), buildS, cores, bytes / 1e6);

            // Each query alone, uncached: a new reader for each (a refresh after a one-host change).
            System.out.println("each query alone, on a reader it has not seen (no cached answer):");
            for (int i = 0; i < QUERIES.size(); i++) {
                String q = QUERIES.get(i);
                touch(index, evaluator, os, min, i);
                long s = System.nanoTime();
                FleetIndex.Result r = index.search(SearchQuery.parse(q), 0, 50);
                System.out.printf("  %-58s %,10d hits %7.1f ms%n", q, r.total(), (System.nanoTime() - s) / 1e6);
            }
            clients(index, seconds, "8 clients, index unchanged", null);
            // The same, while hosts change as a collection sweep would make them: one host replaced and
            // refreshed every second, so every second each answer is computed anew once.
            AtomicLong changes = new AtomicLong();
            clients(index, seconds, "8 clients, one host changed + refresh every second", () -> {
                try {
                    touch(index, evaluator, os, min, (int) changes.incrementAndGet());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            // One host changes: how long until a search sees it.
            HostEvaluation e = evaluator.evaluate("host42", os, min);
            long u0 = System.nanoTime();
            index.replaceHost(new IndexedHost("host42", List.of("changed"), Verdict.COMPLIANT, Optional.empty(), "new", e));
            index.refresh();
            long visible = index.search(SearchQuery.parse("host:host42 group:changed"), 0, 1).total();
            System.out.printf("one host's new evaluation searchable after %.0f ms (replace + refresh; %d documents found)%n",
                    (System.nanoTime() - u0) / 1e6, visible);
            index.close();
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The generated host {@code h}: 80% the development machine, 20% the minimal install, 5% of packages varied. */
    /** Replaces one host's documents and refreshes: the next search reads a new reader. */
    static void touch(FleetIndex index, Evaluator evaluator, OsRelease os, List<StatusEntry> min, int n) throws java.io.IOException {
        HostEvaluation e = evaluator.evaluate("host" + (7000 + n % 1000), os, min);
        index.replaceHost(new IndexedHost("host" + (7000 + n % 1000), List.of("g" + n % 20), Verdict.NON_COMPLIANT,
                Optional.of(Instant.parse("2026-11-24T09:00:00Z")), "t" + n, e));
        index.refresh();
    }

    /** 8 clients for SECONDS, each asking the queries in turn (a page of 50, with facets); p50 and p99. */
    static void clients(FleetIndex index, int seconds, String label, Runnable everySecond) throws Exception {
        for (String q : QUERIES) {
            index.search(SearchQuery.parse(q), 0, 50);
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perClient = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            long[] lat = new long[1 << 22];
            perClient.add(lat);
            int start = c;
            Thread t = new Thread(() -> {
                int n = 0;
                int i = start;
                try {
                    while (System.nanoTime() < end && n < lat.length - 1) {
                        long s = System.nanoTime();
                        index.search(SearchQuery.parse(QUERIES.get(i++ % QUERIES.size())), 0, 50);
                        lat[++n] = System.nanoTime() - s;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                lat[0] = n;
            });
            clients.add(t);
            t.start();
        }
        int ticks = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            if (everySecond != null && System.nanoTime() < end) {
                everySecond.run();
                ticks++;
            }
        }
        for (Thread t : clients) {
            t.join();
        }
        long[] all = perClient.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        System.out.printf("queries, %s (%d kinds, filtered, sorted, faceted; %d refreshes): %,d in %d s, %.0f/s; "
                        + "p50 %.2f ms, p99 %.1f ms, max %.0f ms (aim p99 < 50 ms)%n", label, QUERIES.size(), ticks, all.length, seconds,
                all.length / (double) seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                all[all.length - 1] / 1e6);
    }

    static List<StatusEntry> host(int h, List<StatusEntry> dev, List<StatusEntry> min, ReleaseArchive archive) {
        Random random = new Random(h);
        List<StatusEntry> base = h % 10 < 8 ? dev : min;
        List<StatusEntry> out = new ArrayList<>(base.size());
        for (StatusEntry e : base) {
            if (e.isInstalled() && random.nextInt(100) < 5) {
                List<Available> offered = archive.versionsOf(e.packageName());
                Version v = !offered.isEmpty() && random.nextBoolean() ? offered.get(random.nextInt(offered.size())).version()
                        : Version.parse(e.version() + "~bench" + random.nextInt(50));
                SourceRef src = e.source().version().equals(e.version()) ? new SourceRef(e.source().name(), v) : e.source();
                out.add(new StatusEntry(e.packageName(), e.architecture(), e.status(), v, src, e.section(), e.priority(),
                        e.multiArch(), e.essential(), e.description()));
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
