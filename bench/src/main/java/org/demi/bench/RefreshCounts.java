package org.demi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.tracker.TrackerData;
import org.demi.compliance.tracker.TrackerJson;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.status.StatusEntry;
import org.demi.index.CountsAfterPush;
import org.demi.index.IndexedHost;

/**
 * What a push costs the fleet-wide counts the pages show (the CVE list's tallies, the facets of
 * the CVE, package and host lists): a generated fleet judged against a tracker feed at the real
 * one's size (as {@link CveAudit} makes it), written into an index, then one random host written
 * again per round, and each count made on the new reader as Demi made it before (one pass over
 * every matching document, facets by Lucene's own counting over a reader-wide ordinal map) and
 * as it makes it now (kept per segment, less what the push deleted) — see
 * {@link CountsAfterPush}.
 *
 * <p>usage: RefreshCounts [HOSTS] [ROUNDS]
 */
public final class RefreshCounts {
    private RefreshCounts() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        ReleaseArchive archive = BenchFixtures.bookworm();
        AdvisoryIndex advisories = BenchFixtures.dsa();
        List<StatusEntry> dev = BenchFixtures.status("bookworm-dev");
        List<StatusEntry> min = BenchFixtures.status("bookworm-minbase");
        OsRelease os = OsRelease.parse(BenchFixtures.raw("hosts/bookworm-dev/os-release"));
        Path feed = Files.createTempFile("demi-bench-tracker", ".json");
        Path dir = Files.createTempDirectory("demi-bench-counts");
        try {
            CveAudit.generate(feed, CveAudit.sourceVersions(archive, dev, min, 15_000), 40_000, new Random(7));
            TrackerData data;
            try (var in = Files.newInputStream(feed)) {
                data = TrackerJson.parse(in, "generated");
            }
            Evaluator evaluator = new Evaluator(Map.of("bookworm", archive), advisories, data, ReleaseCalendar.NONE, LocalDate.of(2026, 12, 1));
            List<List<StatusEntry>> fleet = FleetEvaluation.generate(hosts, archive, dev, min, new Random(42));
            List<IndexedHost> judged = IntStream.range(0, hosts).parallel()
                    .mapToObj(i -> new IndexedHost("host" + i, List.of("g" + i % 20), Verdict.NON_COMPLIANT, java.util.Optional.empty(),
                            "c" + i, evaluator.evaluate("host" + i, os, fleet.get(i))))
                    .toList();
            CountsAfterPush.measure(judged, dir, rounds, new Random(11), System.out);
        } finally {
            Files.deleteIfExists(feed);
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
