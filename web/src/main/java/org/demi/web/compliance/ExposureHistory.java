package org.demi.web.compliance;

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
 * checksum names the content) and remembered for as long as the evaluator is the same one;
 * a new mirror snapshot or advisory list gives a new evaluator and a fresh start.
 */
public final class ExposureHistory {
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

    private record Exposure(String id, LocalDate published) {
    }

    /** A CVE an inventory is open to, under its worst urgency, and when the server first saw it (null: always known). */
    private record CveExposure(String id, Urgency urgency, Instant known) {
    }

    /** When each CVE id first came in a feed. */
    public interface FirstSeen {
        Map<String, Instant> get() throws IOException;
    }

    /** A host's good collections, oldest first: each names the inventory in effect from then on. */
    private record Timeline(String host, List<HistoryEntry> entries) {
    }

    private final InventoryStore store;
    private final Clock clock;
    /** What one inventory is open to: advisories, and CVEs under their worst urgency. */
    private record Judged(List<Exposure> advisories, List<CveExposure> cves) {
    }

    /** Only touched inside the synchronized {@link #compute}. */
    private final Map<String, Judged> byChecksum = new HashMap<>();
    private final FirstSeen firstSeen;
    private Evaluator evaluatedWith;
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
    public List<Point> compute(org.demi.compliance.fleet.Fleet fleet, int days) throws IOException {
        return compute(fleet.evaluator(), fleet.hosts(), days);
    }

    /** Recomputes the series for the last {@code days} days, up to today. */
    public synchronized List<Point> compute(Evaluator evaluator, List<HostSpec> hosts, int days) throws IOException {
        if (evaluator != evaluatedWith) {
            byChecksum.clear();
            evaluatedWith = evaluator;
        }
        Map<String, Instant> seen = firstSeen.get();
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
        List<Point> points = new ArrayList<>(days);
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
                    continue; // nothing known of this host yet on that day
                }
                known++;
                boolean any = false;
                Judged judged = judged(evaluator, timelines.get(i).host(), t.get(cursor[i] - 1).checksum().orElseThrow(), seen);
                for (Exposure x : judged.advisories()) {
                    if (!x.published().isAfter(day)) {
                        open.add(x.id());
                        any = true;
                    }
                }
                if (any) {
                    exposed++;
                }
                for (CveExposure c : judged.cves()) {
                    if (c.known() == null || c.known().isBefore(end)) {
                        cves.merge(c.id(), c.urgency(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                    }
                }
            }
            Map<Urgency, Integer> byUrgency = new java.util.EnumMap<>(Urgency.class);
            cves.values().forEach(u -> byUrgency.merge(u, 1, Integer::sum));
            points.add(new Point(day, open.size(), exposed, known, byUrgency));
        }
        latest = List.copyOf(points);
        return latest;
    }

    /** One inventory judged once per evaluator: the advisories and CVEs it is open to. */
    private Judged judged(Evaluator evaluator, String host, String checksum, Map<String, Instant> firstSeenAt) throws IOException {
        Judged known = byChecksum.get(checksum);
        if (known != null) {
            return known;
        }
        HostEvaluation e = evaluator.evaluate(host, store.inventory(host, checksum));
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
        Judged j = new Judged(List.copyOf(advisories), List.copyOf(cves));
        byChecksum.put(checksum, j);
        return j;
    }
}
