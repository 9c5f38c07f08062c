package org.demi.compliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.ReleaseSupport;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Outcome;
import org.junit.jupiter.api.Test;

/**
 * A replay that goes on from an earlier one gives what replaying the whole history gives, and
 * judges only the inventories the new entries bring. Random histories: a handful of inventories
 * (so hosts go back to one they had), failed collections between, and CVEs some of which a feed
 * brought only part way through.
 */
class TimelineReplayTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A random host: its history, what each of its inventories is open to, and when feeds first had each CVE. */
    record Host(List<HistoryEntry> history, Map<String, Set<String>> open, Map<String, Instant> firstSeen) {
        TimelineReplay.Exposure exposure(AtomicInteger judged) {
            return checksum -> {
                judged.incrementAndGet();
                return open.get(checksum);
            };
        }
    }

    static Host host(Random r) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add("CVE-2026-" + (1000 + i) + " " + (r.nextBoolean() ? "openssl" : "curl"));
        }
        Map<String, Set<String>> open = new HashMap<>();
        List<String> checksums = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(5); i++) {
            String checksum = String.format("%064x", r.nextLong() & Long.MAX_VALUE);
            Set<String> cves = new HashSet<>();
            keys.forEach(k -> {
                if (r.nextInt(3) == 0) {
                    cves.add(k);
                }
            });
            open.put(checksum, cves);
            checksums.add(checksum);
        }
        List<HistoryEntry> history = new ArrayList<>();
        Instant t = T0;
        for (int i = 0; i < r.nextInt(30); i++) {
            t = t.plusSeconds(3600 * (1 + r.nextInt(48)));
            int kind = r.nextInt(10);
            if (kind == 0) {
                history.add(new HistoryEntry(t, "ssh", Optional.empty(), Outcome.UNREACHABLE, "timed out"));
            } else if (kind == 1) {
                history.add(new HistoryEntry(t, "push", Optional.of(checksums.get(r.nextInt(checksums.size()))), Outcome.REJECTED, "bad"));
            } else {
                String c = checksums.get(r.nextInt(checksums.size()));
                boolean same = !history.isEmpty() && history.get(history.size() - 1).checksum().equals(Optional.of(c));
                history.add(new HistoryEntry(t, "push", Optional.of(c), same ? Outcome.UNCHANGED : Outcome.STORED, ""));
            }
        }
        Map<String, Instant> firstSeen = new HashMap<>();
        for (String k : keys) {
            if (r.nextInt(3) == 0) {
                firstSeen.put(k.substring(0, k.indexOf(' ')), T0.plusSeconds(3600L * r.nextInt(30 * 48)));
            }
        }
        return new Host(history, open, firstSeen);
    }

    static CveTimeline whole(Host h, List<HistoryEntry> history) throws Exception {
        return TimelineReplay.START.over(history, h.exposure(new AtomicInteger()), h.firstSeen(), s -> s).timeline(h.firstSeen());
    }

    @Test
    void goingOnFromAnyEntryGivesWhatTheWholeReplayGives() throws Exception {
        Random r = new Random(17);
        for (int n = 0; n < 300; n++) {
            Host h = host(r);
            CveTimeline whole = whole(h, h.history());
            for (int k = 0; k <= h.history().size(); k++) {
                TimelineReplay part = TimelineReplay.START.over(h.history().subList(0, k), h.exposure(new AtomicInteger()), h.firstSeen(),
                        s -> s);
                assertThat(part.continues(h.history())).isTrue();
                CveTimeline resumed = part.over(h.history(), h.exposure(new AtomicInteger()), h.firstSeen(), s -> s)
                        .timeline(h.firstSeen());
                assertThat(resumed).as("host %d resumed after %d of %d entries", n, k, h.history().size()).isEqualTo(whole);
            }
            // And entry by entry, as a host that pushes every hour is judged.
            TimelineReplay step = TimelineReplay.START;
            for (int k = 1; k <= h.history().size(); k++) {
                step = step.over(h.history().subList(0, k), h.exposure(new AtomicInteger()), h.firstSeen(), s -> s);
            }
            assertThat(step.timeline(h.firstSeen())).isEqualTo(whole);
        }
    }

    /**
     * The replay against a plain reading of the rule, CVE by CVE: a host is open from the first
     * good collection of an unbroken run of inventories open to it (or from when a feed first had
     * it, if later), and closes it at the first good collection that no longer shows it open,
     * which counts as a remediation only if it was open for some time.
     */
    @Test
    void aReplayFollowsTheRuleCveByCve() throws Exception {
        Random r = new Random(42);
        int remediations = 0;
        for (int n = 0; n < 500; n++) {
            Host h = host(r);
            Map<String, Instant> since = new HashMap<>();
            List<CveTimeline.Remediation> closed = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            h.open().values().forEach(keys::addAll);
            for (String key : keys) {
                String id = key.substring(0, key.indexOf(' '));
                Instant runStart = null;
                for (HistoryEntry e : h.history()) {
                    if (!e.outcome().good()) {
                        continue;
                    }
                    boolean isOpen = h.open().get(e.checksum().get()).contains(key);
                    if (isOpen && runStart == null) {
                        runStart = e.time();
                    } else if (!isOpen && runStart != null) {
                        Instant opened = latest(runStart, h.firstSeen().get(id));
                        if (opened.isBefore(e.time())) {
                            closed.add(new CveTimeline.Remediation(id, key.substring(id.length() + 1), opened, e.time()));
                        }
                        runStart = null;
                    }
                }
                if (runStart != null) {
                    since.put(key, latest(runStart, h.firstSeen().get(id)));
                }
            }
            CveTimeline t = whole(h, h.history());
            assertThat(t.since()).as("host %d", n).isEqualTo(since);
            Comparator<CveTimeline.Remediation> order = Comparator.comparing(CveTimeline.Remediation::closed)
                    .thenComparing(CveTimeline.Remediation::id).thenComparing(CveTimeline.Remediation::source);
            assertThat(t.remediations()).as("host %d", n).isSortedAccordingTo(Comparator.comparing(CveTimeline.Remediation::closed));
            assertThat(t.remediations().stream().sorted(order).toList()).as("host %d", n).isEqualTo(closed.stream().sorted(order).toList());
            remediations += closed.size();
        }
        assertThat(remediations).as("the random histories close CVEs").isGreaterThan(500);
    }

    private static Instant latest(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    @Test
    void goingOnJudgesOnlyTheInventoriesTheNewEntriesBring() throws Exception {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        Host h = new Host(new ArrayList<>(), Map.of(a, Set.of("CVE-2026-1 curl"), b, Set.of()), Map.of());
        AtomicInteger judged = new AtomicInteger();
        h.history().add(new HistoryEntry(T0, "push", Optional.of(a), Outcome.STORED, ""));
        TimelineReplay first = TimelineReplay.START.over(h.history(), h.exposure(judged), Map.of(), s -> s);
        assertThat(judged).hasValue(1);

        h.history().add(new HistoryEntry(T0.plusSeconds(3600), "push", Optional.of(a), Outcome.UNCHANGED, ""));
        TimelineReplay unchanged = first.over(h.history(), h.exposure(judged), Map.of(), s -> s);
        assertThat(judged).as("an unchanged push judges nothing").hasValue(1);

        h.history().add(new HistoryEntry(T0.plusSeconds(7200), "push", Optional.of(b), Outcome.STORED, ""));
        TimelineReplay fixed = unchanged.over(h.history(), h.exposure(judged), Map.of(), s -> s);
        assertThat(judged).as("one new inventory, one judgement").hasValue(2);
        assertThat(fixed.timeline(Map.of()).remediations()).containsExactly(
                new CveTimeline.Remediation("CVE-2026-1", "curl", T0, T0.plusSeconds(7200)));
        assertThat(fixed.timeline(Map.of()).since()).isEmpty();
    }

    @Test
    void aHistoryThatIsNotTheOneConsumedIsNotGoneOnFrom() throws Exception {
        Random r = new Random(3);
        Host h;
        do {
            h = host(r);
        } while (h.history().size() < 4);
        TimelineReplay part = TimelineReplay.START.over(h.history().subList(0, 3), h.exposure(new AtomicInteger()), h.firstSeen(), s -> s);
        List<HistoryEntry> pruned = h.history().subList(1, h.history().size());
        List<HistoryEntry> shorter = h.history().subList(0, 2);
        List<HistoryEntry> rewritten = new ArrayList<>(h.history());
        HistoryEntry third = rewritten.get(2);
        rewritten.set(2, new HistoryEntry(third.time().plusSeconds(1), third.method(), third.checksum(), third.outcome(), third.detail()));
        for (List<HistoryEntry> other : List.of(pruned, shorter, rewritten)) {
            assertThat(part.continues(other)).isFalse();
            Host fh = h;
            assertThatThrownBy(() -> part.over(other, fh.exposure(new AtomicInteger()), fh.firstSeen(), s -> s))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumed 3 entries");
        }
    }

    /** The fleet's kept replays: gone on from while the evaluator is the same, replayed whole by a new one or over another history. */
    @Test
    void keptReplaysServeOneEvaluatorAndOneHistory() throws Exception {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        List<HistoryEntry> history = new ArrayList<>(List.of(new HistoryEntry(T0, "push", Optional.of(a), Outcome.STORED, ""),
                new HistoryEntry(T0.plusSeconds(60), "push", Optional.of(b), Outcome.STORED, "")));
        AtomicInteger judged = new AtomicInteger();
        CveTimeline.Judge judge = checksum -> {
            judged.incrementAndGet();
            return new HostEvaluation("h", Optional.of("bookworm"), ReleaseSupport.SUPPORTED, "amd64", List.of(), List.of());
        };
        CveTimelines kept = new CveTimelines();
        Evaluator one = Evaluator.empty();
        Map<String, Instant> seen = Map.of();
        kept.replay("h", history, one, seen, judge);
        assertThat(judged).hasValue(2);
        history.add(new HistoryEntry(T0.plusSeconds(120), "push", Optional.of(a), Outcome.STORED, ""));
        kept.replay("h", history, one, seen, judge);
        assertThat(judged).as("gone on from: the one new entry").hasValue(3);
        kept.replay("other", history, one, seen, judge);
        assertThat(judged).as("another host has its own replay").hasValue(5);

        kept.replay("h", history, Evaluator.empty(), seen, judge);
        assertThat(judged).as("a new evaluator judges the whole history again").hasValue(7);
        Evaluator two = Evaluator.empty();
        Map<String, Instant> later = Map.of("CVE-1", T0);
        kept.replay("h", history, two, later, judge);
        assertThat(judged).as("so do new first-seen dates").hasValue(9);
        kept.replay("h", history, two, later, judge);
        assertThat(judged).as("the same again judges nothing").hasValue(9);
        kept.replay("h", history.subList(1, 3), two, later, judge);
        assertThat(judged).as("a history that does not go on from the kept one is replayed whole").hasValue(11);
    }
}
