package org.demi.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Outcome;
import org.demi.compliance.tracker.Urgency;
import org.demi.compliance.fleet.ExposureHistory;

/**
 * The chart of open advisories and CVEs over 90 days, replayed as {@code demi serve} replays it
 * after every collection sweep and every new judgement ({@link ExposureHistory#replay}), beside
 * the plain replay it replaced, in the same run: each day, every host's inventory of that day
 * judged anew and its CVEs merged into the day's.
 *
 * <p>The fleet is drawn from the generated fleet's figures: HOSTS hosts, each pushing every
 * {@code EVERY_HOURS} hours for 90 days and changing its inventory about every two weeks; each
 * inventory open to 150–330 of 20,000 CVEs (each with one urgency, three in four first seen on
 * a random day of the 90) and 0–6 of 1,500 advisories. Inventories are judged already (the
 * server keeps them judged between sweeps), so this is the replay alone, as every hourly
 * sweep after the first pays it.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.demi.bench.ExposureReplay [HOSTS] [EVERY_HOURS] [ROUNDS]</pre>
 */
public final class ExposureReplay {
    private ExposureReplay() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        LocalDate today = LocalDate.parse("2026-12-01");
        LocalDate first = today.minusDays(89);
        Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Random r = new Random(17);
        Urgency[] urgencies = Urgency.values();

        List<ExposureHistory.CveExposure> cvePool = new ArrayList<>();
        for (int c = 0; c < 20_000; c++) {
            Instant known = r.nextInt(4) == 0 ? null : start.plusSeconds(r.nextInt(90 * 86_400));
            cvePool.add(new ExposureHistory.CveExposure(String.format("CVE-2026-%05d", c), urgencies[r.nextInt(urgencies.length)], known));
        }
        List<ExposureHistory.Exposure> advisoryPool = new ArrayList<>();
        for (int a = 0; a < 1_500; a++) {
            advisoryPool.add(new ExposureHistory.Exposure("DSA-" + (5000 + a) + "-1", first.minusDays(400).plusDays(r.nextInt(490))));
        }
        Map<String, ExposureHistory.Judged> judged = new HashMap<>();
        List<ExposureHistory.Timeline> timelines = new ArrayList<>(hosts);
        long entries = 0;
        for (int h = 0; h < hosts; h++) {
            List<HistoryEntry> history = new ArrayList<>();
            String sum = inventory(judged, r, cvePool, advisoryPool);
            for (Instant t = start.minusSeconds(r.nextInt(86_400)); t.isBefore(today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
                    t = t.plusSeconds(every * 3600L)) {
                if (r.nextInt(14 * 24 / every) == 0) {
                    sum = inventory(judged, r, cvePool, advisoryPool);
                }
                history.add(new HistoryEntry(t, "push", Optional.of(sum), Outcome.UNCHANGED, ""));
            }
            entries += history.size();
            timelines.add(new ExposureHistory.Timeline(String.format("h%06d", h), history));
        }
        ExposureHistory.Judge judge = (host, checksum) -> judged.get(checksum);
        System.out.printf("%,d hosts, %,d history entries, %,d distinct inventories, %d days%n", hosts, entries, judged.size(), 90);

        List<ExposureHistory.Point> a = null;
        List<ExposureHistory.Point> b = null;
        double[] tally = new double[rounds];
        double[] plain = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            a = ExposureHistory.replay(timelines, judge, first, today);
            tally[i] = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            b = plain(timelines, judge, first, today);
            plain[i] = (System.nanoTime() - t1) / 1e6;
        }
        if (!a.equals(b)) {
            throw new IllegalStateException("the two replays differ");
        }
        System.out.printf("running tally (demi):       first %,.0f ms, then best %,.0f ms%n", tally[0], min(tally, 1));
        System.out.printf("plain replay (as before):   first %,.0f ms, then best %,.0f ms%n", plain[0], min(plain, 1));
        System.out.printf("the last day: %d hosts, %d open advisories on %d hosts, %s open CVEs by urgency%n", a.get(89).hosts(),
                a.get(89).openAdvisories(), a.get(89).exposedHosts(), a.get(89).openCves());
    }

    /** A new inventory, judged: its checksum. */
    private static String inventory(Map<String, ExposureHistory.Judged> judged, Random r, List<ExposureHistory.CveExposure> cves,
            List<ExposureHistory.Exposure> advisories) {
        Set<ExposureHistory.CveExposure> open = new HashSet<>();
        for (int n = 150 + r.nextInt(181); open.size() < n; ) {
            // Most hosts share most CVEs: drawn from the pool's first 2,000 nine times in ten.
            open.add(cves.get(r.nextInt(10) == 0 ? r.nextInt(cves.size()) : r.nextInt(2_000)));
        }
        Set<ExposureHistory.Exposure> adv = new HashSet<>();
        for (int n = r.nextInt(7); adv.size() < n; ) {
            adv.add(advisories.get(r.nextInt(advisories.size())));
        }
        String sum = String.format("%064x", judged.size());
        judged.put(sum, new ExposureHistory.Judged(List.copyOf(adv), List.copyOf(open)));
        return sum;
    }

    /** Each day, every host's inventory of that day judged anew and merged into the day's figures. */
    private static List<ExposureHistory.Point> plain(List<ExposureHistory.Timeline> timelines, ExposureHistory.Judge judge,
            LocalDate first, LocalDate today) throws Exception {
        List<ExposureHistory.Point> points = new ArrayList<>();
        int[] cursor = new int[timelines.size()];
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Set<String> open = new HashSet<>();
            Map<String, Urgency> cves = new HashMap<>();
            int exposed = 0;
            int known = 0;
            for (int i = 0; i < timelines.size(); i++) {
                List<HistoryEntry> t = timelines.get(i).entries();
                while (cursor[i] < t.size() && t.get(cursor[i]).time().isBefore(end)) {
                    cursor[i]++;
                }
                if (cursor[i] == 0) {
                    continue;
                }
                known++;
                ExposureHistory.Judged j = judge.judged(timelines.get(i).host(), t.get(cursor[i] - 1).checksum().orElseThrow());
                boolean any = false;
                for (ExposureHistory.Exposure x : j.advisories()) {
                    if (!x.published().isAfter(day)) {
                        open.add(x.id());
                        any = true;
                    }
                }
                exposed += any ? 1 : 0;
                for (ExposureHistory.CveExposure c : j.cves()) {
                    if (c.known() == null || c.known().isBefore(end)) {
                        cves.merge(c.id(), c.urgency(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
                    }
                }
            }
            Map<Urgency, Integer> byUrgency = new EnumMap<>(Urgency.class);
            cves.values().forEach(u -> byUrgency.merge(u, 1, Integer::sum));
            points.add(new ExposureHistory.Point(day, open.size(), exposed, known, byUrgency));
        }
        return points;
    }

    private static double min(double[] v, int from) {
        double m = Double.MAX_VALUE;
        for (int i = from; i < v.length; i++) {
            m = Math.min(m, v[i]);
        }
        return from < v.length ? m : v[0];
    }
}
