package org.demi.web.notify;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.tracker.Urgency;
import org.demi.index.CveTally;
import org.demi.index.FleetIndex;
import org.demi.index.IndexField;
import org.demi.index.Row;
import org.demi.index.SearchQuery;
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.mirror.MirrorStatus;

/**
 * Every state that may call for a notification, read from what the pages read: the index, the
 * mirror's status, the advisory lists. Each is an {@link Event} with the key that names it.
 */
public final class FleetEvents {
    /** How many hosts a message names; the count says how many there are in all. */
    static final int HOSTS_NAMED = 20;
    /** A Release whose Valid-Until is this close is announced: apt refuses it once it passes. */
    static final Duration VALID_UNTIL_WARNING = Duration.ofDays(1);

    private final FleetIndex index;
    private final MirrorStatus.Source mirror;
    private final AdvisoryFeeds feeds;
    private final Clock clock;

    public FleetEvents(FleetIndex index, MirrorStatus.Source mirror, AdvisoryFeeds feeds, Clock clock) {
        this.index = index;
        this.mirror = mirror;
        this.feeds = feeds;
        this.clock = clock;
    }

    /** @param notInstalledAfter how long delivered fixes may wait uninstalled before it is an event */
    public List<Event> current(Duration notInstalledAfter) throws IOException {
        List<Event> out = new ArrayList<>();
        cves(out);
        advisories(out);
        hosts(out, Verdict.UNREACHABLE, Event.Kind.UNREACHABLE, "unreachable: the last collection could not reach it");
        hosts(out, Verdict.STALE, Event.Kind.STALE, "stale: no inventory newer than the staleness limit");
        notInstalled(out, notInstalledAfter);
        mirror(out);
        feeds(out);
        return out;
    }

    private void cves(List<Event> out) throws IOException {
        for (CveTally t : index.cveTallies(SearchQuery.builder("cve").build()).values()) {
            Optional<Urgency> worst = Optional.empty();
            for (Map.Entry<String, java.util.Set<String>> e : t.statesByUrgency().entrySet()) {
                boolean open = e.getValue().stream().anyMatch(s -> CveState.of(s).map(CveState::open).orElse(false));
                Optional<Urgency> u = Urgency.of(e.getKey());
                if (open && u.isPresent() && (worst.isEmpty() || u.get().ordinal() < worst.get().ordinal())) {
                    worst = u;
                }
            }
            if (worst.isPresent()) {
                String urgency = worst.get().term();
                out.add(new Event(Event.Kind.CVE, "cve:" + t.cve(), t.cve() + " (" + urgency + ") is open on " + hostsWord(t.hosts()),
                        worst, named(SearchQuery.builder("cve").is(IndexField.CVE, t.cve()).build()), t.hosts(),
                        "through " + String.join(", ", t.sources()) + "; states: " + t.states()));
            }
        }
    }

    private void advisories(List<Event> out) throws IOException {
        Map<String, Long> open = index.search(SearchQuery.parse("type:host"), 0, 0, Integer.MAX_VALUE).facets()
                .getOrDefault(IndexField.ADVISORY.word(), Map.of());
        for (Map.Entry<String, Long> a : open.entrySet()) {
            out.add(new Event(Event.Kind.ADVISORY, "advisory:" + a.getKey(), a.getKey() + " is open on " + hostsWord(a.getValue()),
                    Optional.empty(), named(SearchQuery.builder("host").is(IndexField.ADVISORY, a.getKey()).build()), a.getValue(),
                    "its fixed versions are not installed there"));
        }
    }

    private void hosts(List<Event> out, Verdict verdict, Event.Kind kind, String detail) throws IOException {
        for (Row h : index.hits(SearchQuery.builder("host").is(IndexField.VERDICT, verdict.word()).build(), 0, Integer.MAX_VALUE - 1).rows()) {
            String host = h.get(IndexField.HOST);
            String seen = h.get(IndexField.LAST_SEEN);
            out.add(new Event(kind, kind.word() + ":" + host, host + " is " + verdict.word(), Optional.empty(), List.of(host), 1,
                    detail + (seen == null || seen.isEmpty() ? "; never collected" : "; last inventory " + seen)));
        }
    }

    private void notInstalled(List<Event> out, Duration after) throws IOException {
        Instant before = clock.instant().minus(after);
        for (Row h : index.hits(SearchQuery.parse("type:host waiting:>0"), 0, Integer.MAX_VALUE - 1).rows()) {
            String since = h.get(IndexField.WAITING_SINCE);
            if (since != null && !since.isEmpty() && Instant.parse(since).isBefore(before)) {
                String host = h.get(IndexField.HOST);
                out.add(new Event(Event.Kind.NOT_INSTALLED, "not-installed:" + host + ":" + since, host + " has not installed the fixes "
                        + "delivered " + since, Optional.empty(), List.of(host), 1, h.get(IndexField.WAITING) + " delivered package(s) "
                        + "still not installed after " + after.toDays() + " day(s)"));
            }
        }
    }

    private void mirror(List<Event> out) throws IOException {
        Instant now = clock.instant();
        for (MirrorStatus s : mirror.rows()) {
            String suite = s.upstream() + " " + s.suite();
            if ("failed".equals(s.outcome())) {
                out.add(new Event(Event.Kind.SYNC_FAILED, "sync-failed:" + s.upstream() + "/" + s.suite(), "The mirror sync of " + suite
                        + " failed", Optional.empty(), List.of(), 0, (s.error() == null ? "" : s.error()) + " (the last good snapshot "
                        + "stays published; a refused signature or checksum can be an attack)"));
            }
            if (s.validUntil() != null && Instant.parse(s.validUntil()).isBefore(now.plus(VALID_UNTIL_WARNING))) {
                out.add(new Event(Event.Kind.VALID_UNTIL, "valid-until:" + s.upstream() + "/" + s.suite() + ":" + s.validUntil(),
                        "The Release of " + suite + " is valid until " + s.validUntil(), Optional.empty(), List.of(), 0,
                        "after that apt refuses it: the mirror must sync before then"));
            }
        }
    }

    private void feeds(List<Event> out) throws IOException {
        Instant now = clock.instant();
        for (AdvisoryFeeds.Held h : feeds.held()) {
            if (h.wanting(now)) {
                out.add(new Event(Event.Kind.FEED_STALE, "feed-stale:" + h.list(), "The advisory list " + h.list() + " is "
                        + (h.installed().isEmpty() ? "missing" : h.old(now) ? "older than " + AdvisoryFeeds.OLD_AFTER.toHours() + " hours"
                                : "not fetched"), Optional.empty(), List.of(), 0,
                        h.failure().map(f -> "last failure: " + f).orElse("installed " + h.installed().map(Instant::toString).orElse("never"))));
            }
        }
    }

    private List<String> named(SearchQuery q) throws IOException {
        return index.hits(q, 0, HOSTS_NAMED).rows().stream().map(r -> r.get(IndexField.HOST)).distinct().toList();
    }

    private static String hostsWord(long n) {
        return n == 1 ? "1 host" : n + " hosts";
    }
}
