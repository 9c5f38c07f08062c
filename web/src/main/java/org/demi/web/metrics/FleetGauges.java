package org.demi.web.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.tracker.Urgency;
import org.demi.index.FleetIndex;
import org.demi.index.IndexField;
import org.demi.index.OpenCves;
import org.demi.index.SearchQuery;
import org.demi.mirror.store.Snapshot;
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.mirror.MirrorStatus;

/**
 * The figures {@code /metrics} reads at each scrape, from what the pages read: the index (hosts
 * by verdict, open CVEs and advisories, pending security updates, its size), the mirror's
 * status per suite, and the advisory feeds. A source that cannot be read is logged and its
 * figures left out of that scrape; the others are still given.
 */
public final class FleetGauges implements MultiCollector {
    private static final System.Logger LOG = System.getLogger(FleetGauges.class.getName());
    /** How long a host may go unreachable before the alert rule in docs/ calls for someone. */
    static final Duration UNREACHABLE_ALERT = Duration.ofDays(1);

    private final FleetIndex index;
    private final MirrorStatus.Source mirror;
    private final AdvisoryFeeds feeds;
    private final Clock clock;

    public FleetGauges(FleetIndex index, MirrorStatus.Source mirror, AdvisoryFeeds feeds, Clock clock) {
        this.index = index;
        this.mirror = mirror;
        this.feeds = feeds;
        this.clock = clock;
    }

    private interface Part {
        void add(List<MetricSnapshot> out) throws IOException;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        read("the index", out, this::fleet);
        read("the mirror's status", out, this::mirror);
        read("the advisory feeds", out, this::feeds);
        return new MetricSnapshots(out);
    }

    private static void read(String what, List<MetricSnapshot> out, Part part) {
        List<MetricSnapshot> some = new ArrayList<>();
        try {
            part.add(some);
            out.addAll(some);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "/metrics: " + what + " could not be read, its figures are left out: " + e, e);
        }
    }

    private void fleet(List<MetricSnapshot> out) throws IOException {
        SearchQuery hosts = SearchQuery.parse("type:host");
        FleetIndex.Result all = index.search(hosts, 0, 0, Integer.MAX_VALUE);
        Map<String, Long> verdicts = all.facets().getOrDefault(IndexField.VERDICT.word(), Map.of());
        GaugeSnapshot.Builder byVerdict = gauge("demi_hosts", "Hosts managed, by verdict");
        for (Verdict v : Verdict.values()) {
            byVerdict.dataPoint(point(verdicts.getOrDefault(v.word(), 0L), "verdict", v.word()));
        }
        out.add(byVerdict.build());
        out.add(gauge("demi_hosts_unreachable_for_a_day", "Hosts unreachable whose last inventory is a day old or more (or that "
                + "never gave one)").dataPoint(point(unreachableForADay())).build());
        out.add(gauge("demi_hosts_reboot_required", "Hosts that must reboot to run what they installed (whatever else they lack)")
                .dataPoint(point(index.count(SearchQuery.parse("type:host reboot_required:yes")))).build());
        out.add(gauge("demi_hosts_restart_required", "Hosts with services needrestart names as running outdated code")
                .dataPoint(point(index.count(SearchQuery.parse("type:host restart_services:>0")))).build());
        out.add(gauge("demi_open_advisories", "Advisories (DSA, DLA) open on some host")
                .dataPoint(point(all.facets().getOrDefault(IndexField.ADVISORY.word(), Map.of()).size())).build());
        out.add(gauge("demi_pending_security_updates", "Security updates pending, summed over the hosts")
                .dataPoint(point(index.sum(hosts, IndexField.SECURITY_UPDATES))).build());
        OpenCves cves = index.openCves();
        out.add(gauge("demi_open_cves_distinct", "Distinct CVEs open on some host").dataPoint(point(cves.cves())).build());
        GaugeSnapshot.Builder byUrgency = gauge("demi_open_cves", "Distinct CVEs open on some host, by urgency and state");
        for (Urgency u : Urgency.values()) {
            for (CveState s : CveState.values()) {
                if (s.open()) {
                    byUrgency.dataPoint(point(cves.count(u.term(), s.word()), "urgency", u.term(), "state", s.word()));
                }
            }
        }
        out.add(byUrgency.build());
        out.add(gauge("demi_index_documents", "Documents in the index: hosts, their packages and CVEs, advisories")
                .dataPoint(point(index.documents())).build());
        java.util.OptionalLong bytes = index.bytesOnDisk();
        if (bytes.isPresent()) {
            out.add(gauge("demi_index_bytes", "Bytes the index takes on this server's disk").dataPoint(point(bytes.getAsLong())).build());
        }
    }

    /**
     * Counted, not listed: a host never seen counts as seen before any moment, so one question
     * answers it however many hosts are unreachable (before, every unreachable host's row was
     * read at each scrape).
     */
    long unreachableForADay() throws IOException {
        Instant before = clock.instant().minus(UNREACHABLE_ALERT).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return index.count(SearchQuery.parse("type:host verdict:" + Verdict.UNREACHABLE.word() + " " + IndexField.LAST_SEEN.word()
                + ":<" + before));
    }

    private void mirror(List<MetricSnapshot> out) throws IOException {
        Instant now = clock.instant();
        GaugeSnapshot.Builder failed = gauge("demi_mirror_sync_failed", "1 when the last sync of the suite failed: a check refused "
                + "what upstream served (which may be an attack) or it could not be fetched; the last good snapshot stays published");
        GaugeSnapshot.Builder accepted = gauge("demi_mirror_last_accepted_sync_age_seconds",
                "Age of the snapshot published for the suite's upstream: since its last sync that was accepted");
        GaugeSnapshot.Builder attempted = gauge("demi_mirror_last_sync_timestamp_seconds", "When the suite's last sync was attempted");
        GaugeSnapshot.Builder age = gauge("demi_mirror_release_age_seconds", "Age of the Release published for the suite (its Date)");
        GaugeSnapshot.Builder validFor = gauge("demi_mirror_valid_until_seconds",
                "Seconds until the published Release's Valid-Until (negative: expired; absent: none)");
        for (MirrorStatus s : mirror.rows()) {
            String[] labels = {"upstream", s.upstream(), "suite", s.suite()};
            failed.dataPoint(point("failed".equals(s.outcome()) ? 1 : 0, labels));
            if (s.snapshot() != null) {
                accepted.dataPoint(point(Duration.between(Snapshot.begun(s.snapshot()), now).toSeconds(), labels));
            }
            if (s.lastAttempt() != null) {
                attempted.dataPoint(point(Instant.parse(s.lastAttempt()).getEpochSecond(), labels));
            }
            if (s.date() != null) {
                age.dataPoint(point(Duration.between(Instant.parse(s.date()), now).toSeconds(), labels));
            }
            if (s.validUntil() != null) {
                validFor.dataPoint(point(Duration.between(now, Instant.parse(s.validUntil())).toSeconds(), labels));
            }
        }
        out.add(failed.build());
        out.add(accepted.build());
        out.add(attempted.build());
        out.add(age.build());
        out.add(validFor.build());
    }

    private void feeds(List<MetricSnapshot> out) throws IOException {
        Instant now = clock.instant();
        GaugeSnapshot.Builder age = gauge("demi_advisory_feed_age_seconds", "Age of the advisory list installed (absent: none yet)");
        GaugeSnapshot.Builder failed = gauge("demi_advisory_feed_failed", "1 when the last fetch or import of the list failed");
        for (AdvisoryFeeds.Held held : feeds.held()) {
            held.installed().ifPresent(t -> age.dataPoint(point(Duration.between(t, now).toSeconds(), "feed", held.list())));
            failed.dataPoint(point(held.failure().isPresent() ? 1 : 0, "feed", held.list()));
        }
        out.add(age.build());
        out.add(failed.build());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
