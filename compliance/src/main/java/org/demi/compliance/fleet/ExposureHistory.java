package org.demi.compliance.fleet;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.OpenAdvisory;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.tracker.Urgency;

/**
 * Open advisories over time, replayed from the hosts' inventory histories: for each day, the
 * inventory each host had at its end, judged against the advisories known now, counting only
 * advisories already published that day. It answers the auditor's "how many advisories were we
 * open to in March, and on how many hosts", with what Debian has disclosed since.
 *
 * <p>Every distinct inventory is evaluated once (inventories are stored by checksum, so the
 * checksum names the content) and remembered for as long as the evaluator and the first-seen
 * dates are the same ones; a new mirror snapshot or advisory list gives a new evaluator and a
 * fresh start. The inventories the fleet judges anyway, replaying each host's CVE timeline as it
 * indexes the host, are taken as they come ({@link #judged(Evaluator, Map, String, HostEvaluation)}):
 * after a judgement of every host, the chart judges no inventory again.
 */
public final class ExposureHistory implements Fleet.Judgements {
    /**
     * One day of the series.
     *
     * @param openCves per urgency, the distinct CVEs open on some host that day (each under its worst urgency)
     */
    public record Point(LocalDate day, int openAdvisories, int exposedHosts, int hosts, Map<Urgency, Integer> openCves) {
        public Point {
            java.util.EnumMap<Urgency, Integer> copy = new java.util.EnumMap<>(Urgency.class);
            copy.putAll(openCves);
            openCves = java.util.Collections.unmodifiableMap(copy);
        }

        public Point(LocalDate day, int openAdvisories, int exposedHosts, int hosts) {
            this(day, openAdvisories, exposedHosts, hosts, Map.of());
        }
    }

    /** An advisory an inventory is open to, and the day it was published. */
    public record Exposure(String id, LocalDate published) {
    }

    /** A CVE an inventory is open to, under its worst urgency, and when the server first saw it (null: always known). */
    public record CveExposure(String id, Urgency urgency, Instant known) {
    }

    /** When each CVE id first came in a feed. */
    public interface FirstSeen {
        Map<String, Instant> get() throws IOException;
    }

    /** A host's good collections, oldest first: each names the inventory in effect from then on. */
    public record Timeline(String host, List<HistoryEntry> entries) {
    }

    /** What one inventory is open to: advisories, and CVEs under their worst urgency. */
    public record Judged(List<Exposure> advisories, List<CveExposure> cves) {
        /** What {@code e} is open to; each CVE known from its first sighting in {@code firstSeenAt}. */
        static Judged of(HostEvaluation e, Map<String, Instant> firstSeenAt) {
            List<Exposure> advisories = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (OpenAdvisory a : e.openAdvisories()) {
                if (ids.add(a.id())) {
                    advisories.add(new Exposure(a.id(), a.date()));
                }
            }
            Map<String, Urgency> worst = new HashMap<>();
            e.openCves().forEach(c -> worst.merge(c.id(), c.tracker().urgency(), (a, b) -> a.compareTo(b) <= 0 ? a : b));
            List<CveExposure> cves = new ArrayList<>(worst.size());
            worst.forEach((id, u) -> cves.add(new CveExposure(id, u, firstSeenAt.get(id))));
            return new Judged(List.copyOf(advisories), List.copyOf(cves));
        }
    }

    /** Judges a host's inventory of this checksum: the same object each time for the same inventory. */
    public interface Judge {
        Judged judged(String host, String checksum) throws IOException;
    }

    /** The inventories judged by one evaluator with one map of first-seen dates, by checksum. */
    private record Judgements(Evaluator by, Map<String, Instant> firstSeen, Map<String, Judged> byChecksum) {
        /** The one judgement of this inventory, whoever made it first. */
        Judged keep(String checksum, Judged j) {
            Judged kept = byChecksum.putIfAbsent(checksum, j);
            return kept == null ? j : kept;
        }
    }

    private final InventoryStore store;
    private final Clock clock;
    private final FirstSeen firstSeen;
    private final AtomicReference<Judgements> judgements = new AtomicReference<>();
    private volatile List<Point> latest = List.of();

    public ExposureHistory(InventoryStore store, Clock clock) {
        this(store, clock, Map::of);
    }

    /** @param firstSeen when each CVE id first came in a feed: a CVE counts from that day on */
    public ExposureHistory(InventoryStore store, Clock clock, FirstSeen firstSeen) {
        this.store = store;
        this.clock = clock;
        this.firstSeen = firstSeen;
    }

    /** The series last computed (empty before the first). */
    public List<Point> latest() {
        return latest;
    }

    /** Recomputes the series for the last {@code days} days, up to today, for the fleet's hosts and evaluator in force. */
    public List<Point> compute(Fleet fleet, int days) throws IOException {
        return compute(fleet.evaluator(), fleet.hosts(), days);
    }

    /** Recomputes the series for the last {@code days} days, up to today. */
    public synchronized List<Point> compute(Evaluator evaluator, List<HostSpec> hosts, int days) throws IOException {
        Judgements by = judgementsBy(evaluator, firstSeen.get());
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        List<Timeline> timelines = new ArrayList<>();
        for (HostSpec h : hosts) {
            List<HistoryEntry> good = new ArrayList<>();
            for (HistoryEntry e : store.history(h.host())) {
                if (e.outcome().good() && e.checksum().isPresent()) {
                    good.add(e);
                }
            }
            timelines.add(new Timeline(h.host(), good));
        }
        Set<String> used = new HashSet<>();
        latest = replay(timelines, (host, checksum) -> {
            used.add(checksum);
            Judged known = by.byChecksum().get(checksum);
            return known != null ? known
                    : by.keep(checksum, Judged.of(evaluator.evaluate(host, store.inventory(host, checksum)), by.firstSeen()));
        }, first, today);
        // Only what the series reads is kept: inventories older than its first day, or gone, are not.
        by.byChecksum().keySet().retainAll(used);
        return latest;
    }

    /**
     * Keeps what the fleet judged of an inventory by {@code by} as it replayed a host's CVE
     * timeline, for the next {@link #compute} by the same evaluator and first-seen dates.
     */
    @Override
    public void judged(Evaluator by, Map<String, Instant> firstSeenAt, String checksum, HostEvaluation evaluation) {
        Judgements j = judgementsBy(by, firstSeenAt);
        if (!j.byChecksum().containsKey(checksum)) {
            j.keep(checksum, Judged.of(evaluation, firstSeenAt));
        }
    }

    /** The judgements by this evaluator and these first-seen dates: those kept, or none when either is new. */
    private Judgements judgementsBy(Evaluator by, Map<String, Instant> firstSeenAt) {
        return judgements.updateAndGet(was -> was != null && was.by() == by && was.firstSeen() == firstSeenAt ? was
                : new Judgements(by, firstSeenAt, new ConcurrentHashMap<>()));
    }

    /**
     * The series from {@code first} to {@code today}: each day, the inventory each host had at its
     * end. The fleet's figures are kept as a running tally that a host enters, and leaves, only
     * when its inventory changes, so a day costs what changed that day and what the tally holds
     * (the distinct advisories and CVEs), not every host's every CVE again.
     */
    public static List<Point> replay(List<Timeline> timelines, Judge judge, LocalDate first, LocalDate today) throws IOException {
        List<Point> points = new ArrayList<>();
        Tally tally = new Tally();
        Judged[] current = new Judged[timelines.size()];
        int[] cursor = new int[timelines.size()];
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            for (int i = 0; i < timelines.size(); i++) {
                List<HistoryEntry> t = timelines.get(i).entries();
                int was = cursor[i];
                while (cursor[i] < t.size() && t.get(cursor[i]).time().isBefore(end)) {
                    cursor[i]++;
                }
                if (cursor[i] == was) {
                    continue; // nothing new that day: the host's inventory stands (or it is not known yet)
                }
                Judged now = judge.judged(timelines.get(i).host(), t.get(cursor[i] - 1).checksum().orElseThrow());
                if (now != current[i]) {
                    tally.leave(current[i]);
                    tally.enter(now);
                    current[i] = now;
                }
            }
            points.add(tally.point(day, end));
        }
        return List.copyOf(points);
    }

    /**
     * The hosts known, and what their inventories are open to, counted. Each CVE (with when it
     * was first seen) gets a number the first time an inventory brings it, and each inventory
     * its CVEs' numbers once, so a host entering or leaving costs array additions.
     */
    private static final class Tally {
        private static final int URGENCIES = Urgency.values().length;
        private int hosts;
        private final Map<Exposure, Integer> advisories = new HashMap<>();
        /** Hosts by the publication of the oldest advisory they are open to. */
        private final java.util.TreeMap<LocalDate, Integer> exposedSince = new java.util.TreeMap<>();
        /** Each CVE's number, by its id and first sighting; and back. */
        private final Map<CveExposure, Integer> numbers = new HashMap<>();
        private final List<CveExposure> numbered = new ArrayList<>();
        /** Per CVE number and urgency, how many hosts have it; per CVE number, how many under any. */
        private int[] byUrgency = new int[1024 * URGENCIES];
        private int[] total = new int[1024];
        /** Each inventory's CVEs as numbers times {@link #URGENCIES} plus the urgency. */
        private final Map<Judged, int[]> coded = new java.util.IdentityHashMap<>();

        void enter(Judged j) {
            hosts++;
            count(j, 1);
        }

        void leave(Judged j) {
            if (j != null) {
                hosts--;
                count(j, -1);
            }
        }

        private void count(Judged j, int by) {
            LocalDate oldest = null;
            for (Exposure x : j.advisories()) {
                advisories.merge(x, by, (a, b) -> a + b == 0 ? null : a + b);
                oldest = oldest == null || x.published().isBefore(oldest) ? x.published() : oldest;
            }
            if (oldest != null) {
                exposedSince.merge(oldest, by, (a, b) -> a + b == 0 ? null : a + b);
            }
            for (int c : coded.computeIfAbsent(j, this::code)) {
                byUrgency[c] += by;
                total[c / URGENCIES] += by;
            }
        }

        private int[] code(Judged j) {
            int[] out = new int[j.cves().size()];
            for (int i = 0; i < out.length; i++) {
                CveExposure c = j.cves().get(i);
                Integer n = numbers.get(new CveExposure(c.id(), null, c.known()));
                if (n == null) {
                    n = numbered.size();
                    numbered.add(new CveExposure(c.id(), null, c.known()));
                    numbers.put(numbered.get(n), n);
                    if (n == total.length) {
                        total = java.util.Arrays.copyOf(total, n * 2);
                        byUrgency = java.util.Arrays.copyOf(byUrgency, n * 2 * URGENCIES);
                    }
                }
                out[i] = n * URGENCIES + c.urgency().ordinal();
            }
            return out;
        }

        /** The figures of {@code day}: advisories published by then, CVEs first seen before its {@code end}. */
        Point point(LocalDate day, Instant end) {
            Set<String> open = new HashSet<>();
            advisories.keySet().forEach(x -> {
                if (!x.published().isAfter(day)) {
                    open.add(x.id());
                }
            });
            int exposed = exposedSince.headMap(day, true).values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Urgency> worst = new HashMap<>();
            for (int n = 0; n < numbered.size(); n++) {
                CveExposure c = numbered.get(n);
                if (total[n] > 0 && (c.known() == null || c.known().isBefore(end))) {
                    int u = 0;
                    while (byUrgency[n * URGENCIES + u] == 0) {
                        u++;
                    }
                    worst.merge(c.id(), Urgency.values()[u], (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            }
            Map<Urgency, Integer> counted = new java.util.EnumMap<>(Urgency.class);
            worst.values().forEach(u -> counted.merge(u, 1, Integer::sum));
            return new Point(day, open.size(), exposed, hosts, counted);
        }
    }
}
