package org.demi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.fleet.CveTimeline;
import org.demi.compliance.fleet.Fleet;
import org.demi.compliance.fleet.HostState;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.tracker.TrackerData;

/**
 * What judging a host that sent a new inventory costs once it has months of history: its state
 * and its CVE timeline, as the server judges a changed host before indexing it. Three figures
 * per host, in the same run:
 * <ul>
 * <li><b>first judgement</b>: the host's whole history replayed, as at the first judgement
 * after a start or a new evaluator;
 * <li><b>going on</b>: after a new inventory, the timeline gone on from the host's last replay
 * ({@link Fleet#cveTimeline}), as every later change is judged;
 * <li><b>whole replay (as before)</b>: after the same new inventory, the whole history replayed
 * again, as every change was judged before; its timeline must equal the one gone on.
 * </ul>
 *
 * <p>Each host is one of the fixtures' bookworm hosts (the 710-package development machine or
 * the minimal install) with 5% of its packages at other versions, pushing every
 * {@code EVERY_HOURS} hours for {@code DAYS} days through the real inventory store, and
 * upgrading (a new inventory, about 1 in 200 packages changed) every two days on average. The
 * evaluator holds the real bookworm indices, the DSA list and a tracker feed generated at the
 * real one's size (40,000 CVEs, {@link CveAudit#generate}). Hosts are judged in a random order.
 *
 * <pre>java -Ddemi.fixtures=../shared/fixtures -cp bench/target/benchmarks.jar org.demi.bench.HostTimeline [HOSTS] [DAYS] [EVERY_HOURS]</pre>
 */
public final class HostTimeline {
    private HostTimeline() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        LocalDate today = LocalDate.parse("2026-12-01");
        Instant end = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        Path dir = Files.createTempDirectory("demi-host-timeline");
        Path feed = dir.resolve("tracker.json");
        try {
            ReleaseArchive archive = BenchFixtures.bookworm();
            CveAudit.generate(feed, CveAudit.sourceVersions(archive, BenchFixtures.status("bookworm-dev"),
                    BenchFixtures.status("bookworm-minbase"), 15_000), 40_000, new Random(7));
            TrackerData tracker = CveAudit.parse(feed);
            Evaluator evaluator = new Evaluator(Map.of("bookworm", archive), BenchFixtures.dsa(), tracker, ReleaseCalendar.NONE, today);
            Map<String, Instant> firstSeen = Map.of();

            byte[] os = BenchFixtures.raw("hosts/bookworm-dev/os-release");
            byte[][] statuses = {BenchFixtures.raw("hosts/bookworm-dev/status"), BenchFixtures.raw("hosts/bookworm-minbase/status")};
            Path data = dir.resolve("data");
            List<HostSpec> specs = new ArrayList<>();
            Random r = new Random(42);
            int[] rounds = new int[hosts];
            long entries = 0;
            long g0 = System.nanoTime();
            for (int i = 0; i < hosts; i++) {
                HostSpec spec = new HostSpec(GeneratedFleet.name(i), null, 22, null, List.of(), CollectMethod.PUSH);
                specs.add(spec);
                byte[] status = statuses[i % 5 == 0 ? 1 : 0];
                String last = null;
                for (Instant t = end.minusSeconds(days * 86_400L); t.isBefore(end); t = t.plusSeconds(every * 3600L)) {
                    InventoryStore at = new InventoryStore(data, Clock.fixed(t, ZoneOffset.UTC));
                    if (last == null || r.nextInt(48 / every) == 0) {
                        Inventory next = Inventory.of(os, GeneratedFleet.vary(status, i, ++rounds[i]));
                        at.accept(spec.host(), "push", next);
                        last = next.checksum();
                    } else {
                        at.confirmUnchanged(spec.host(), "push", last);
                    }
                    entries++;
                }
            }
            System.out.printf("%d hosts, %d days of history written in %.0f s: %,d entries (%,d per host), %.1f inventories per host%n",
                    hosts, days, (System.nanoTime() - g0) / 1e9, entries, entries / hosts,
                    java.util.Arrays.stream(rounds).average().orElse(0));

            // Each host's new inventory comes a minute after the end of its history.
            Instant later = end.plusSeconds(60);
            InventoryStore store = new InventoryStore(data, Clock.fixed(later, ZoneOffset.UTC));
            Fleet fleet = new Fleet(data, Clock.fixed(later, ZoneOffset.UTC), new Fleet.Hosts() {
                @Override
                public List<HostSpec> hosts() {
                    return specs;
                }

                @Override
                public Optional<HostSpec> host(String name) {
                    return specs.stream().filter(s -> s.host().equals(name)).findFirst();
                }
            });
            List<HostSpec> order = new ArrayList<>(specs);
            Collections.shuffle(order, r);
            List<Double> first = new ArrayList<>();
            List<Double> goingOn = new ArrayList<>();
            List<Double> whole = new ArrayList<>();
            for (HostSpec spec : order) {
                long t0 = System.nanoTime();
                judge(fleet, spec, evaluator, firstSeen, end);
                first.add((System.nanoTime() - t0) / 1e6);

                int i = specs.indexOf(spec);
                store.accept(spec.host(), "push", Inventory.of(os, GeneratedFleet.vary(statuses[i % 5 == 0 ? 1 : 0], i, ++rounds[i])));

                long t1 = System.nanoTime();
                CveTimeline gone = judge(fleet, spec, evaluator, firstSeen, later);
                goingOn.add((System.nanoTime() - t1) / 1e6);

                long t2 = System.nanoTime();
                HostState st = fleet.state(spec, evaluator, later);
                String latest = st.checksum();
                CveTimeline replayed = CveTimeline.replay(store.history(spec.host()), checksum -> checksum.equals(latest)
                        ? st.evaluation().get() : evaluator.evaluate(spec.host(), store.inventory(spec.host(), checksum)), firstSeen);
                whole.add((System.nanoTime() - t2) / 1e6);
                if (!replayed.equals(gone)) {
                    throw new IllegalStateException(spec.host() + ": the timeline gone on differs from the whole replay");
                }
            }
            System.out.println("judging a host (its state and CVE timeline), per host, in ms:");
            System.out.println(line("first judgement (whole history)", first));
            System.out.println(line("after a change, going on (demi)", goingOn));
            System.out.println(line("after a change, whole replay (as before)", whole));
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static CveTimeline judge(Fleet fleet, HostSpec spec, Evaluator evaluator, Map<String, Instant> firstSeen, Instant now)
            throws Exception {
        HostState st = fleet.state(spec, evaluator, now);
        return fleet.cveTimeline(st, evaluator, firstSeen);
    }

    private static String line(String what, List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return String.format("  %-42s n=%d  first %8.1f  p50 %8.1f  p99 %8.1f  max %8.1f", what, s.size(), ms.get(0),
                s.get(s.size() / 2), s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)), s.get(s.size() - 1));
    }
}
