package org.demi.compliance.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.MutableClock;
import org.demi.compliance.inventory.Outcome;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open advisories replayed from the histories: a bullseye host with openssl at
 * 1.1.1n-0+deb11u3 from 5 February 2023 is open to DSA-5343-1 from its publication on the 7th,
 * until the fixed inventory arrives on the 8th; a second host, always fixed, never is.
 */
class ExposureHistoryTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.EPOCH);

    @Test
    void eachDayCountsTheInventoryOfThatDayAndTheAdvisoriesPublishedByThen() throws Exception {
        ReleaseArchive bullseye = ReleaseArchive.builder("bullseye").addPackages(new ByteArrayInputStream(
                Fixtures.plain("archive/bullseye-security/main/binary-amd64/Packages.xz")), "p", "bullseye-security", true).build();
        Evaluator evaluator = new Evaluator(Map.of("bullseye", bullseye), new AdvisoryIndex(
                AdvisoryList.parse(Files.readAllBytes(Fixtures.path("tracker/DSA-list")), "DSA-list").advisories()));
        byte[] os = Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release"));
        String fixed = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"));
        Inventory old = Inventory.of(os, fixed.replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3")
                .getBytes(StandardCharsets.UTF_8));
        Inventory good = Inventory.of(os, fixed.getBytes(StandardCharsets.UTF_8));

        InventoryStore store = new InventoryStore(tmp, clock);
        clock.set(Instant.parse("2023-02-05T10:00:00Z"));
        store.accept("bull", "ssh", old);
        store.accept("ok", "ssh", good);
        clock.set(Instant.parse("2023-02-06T10:00:00Z"));
        store.fail("bull", "ssh", Outcome.UNREACHABLE, "timed out"); // a failed attempt changes nothing
        clock.set(Instant.parse("2023-02-08T12:00:00Z"));
        store.accept("bull", "ssh", good);
        clock.set(Instant.parse("2023-02-09T08:00:00Z"));

        List<HostSpec> hosts = List.of(new HostSpec("bull", null, 22, null, List.of(), CollectMethod.SSH),
                new HostSpec("ok", null, 22, null, List.of(), CollectMethod.SSH),
                new HostSpec("new", null, 22, null, List.of(), CollectMethod.SSH));
        ExposureHistory history = new ExposureHistory(store, clock);
        List<ExposureHistory.Point> points = history.compute(evaluator, hosts, 7);
        assertThat(points).extracting(ExposureHistory.Point::day).containsExactly(LocalDate.parse("2023-02-03"),
                LocalDate.parse("2023-02-04"), LocalDate.parse("2023-02-05"), LocalDate.parse("2023-02-06"),
                LocalDate.parse("2023-02-07"), LocalDate.parse("2023-02-08"), LocalDate.parse("2023-02-09"));
        assertThat(points).extracting(ExposureHistory.Point::hosts).containsExactly(0, 0, 2, 2, 2, 2, 2);
        // DSA-5343-1 was published on the 7th: before that the old openssl was open to nothing yet known.
        assertThat(points).extracting(ExposureHistory.Point::openAdvisories).containsExactly(0, 0, 0, 0, 1, 0, 0);
        assertThat(points).extracting(ExposureHistory.Point::exposedHosts).containsExactly(0, 0, 0, 0, 1, 0, 0);
        assertThat(history.latest()).isEqualTo(points);
    }

    /**
     * The same histories against the tracker's CVE data: a high-urgency CVE in bullseye's openssl,
     * fixed in 1.1.1w-0+deb11u1, which the server first saw on the 6th at noon. It counts from
     * that day until the fixed inventory of the 8th; the host's exposure ran from the 6th at noon
     * (it had the old openssl since the 5th, but nobody knew) to the 8th at noon: 48 hours.
     */
    @Test
    void cvesCountFromTheirFirstSightingAndTheirRemediationIsTimed() throws Exception {
        Evaluator evaluator = highOpensslCve();
        byte[] os = Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release"));
        String fixed = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"));
        InventoryStore store = new InventoryStore(tmp, clock);
        clock.set(Instant.parse("2023-02-05T10:00:00Z"));
        store.accept("bull", "ssh", Inventory.of(os, fixed.replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3")
                .getBytes(StandardCharsets.UTF_8)));
        clock.set(Instant.parse("2023-02-08T12:00:00Z"));
        store.accept("bull", "ssh", Inventory.of(os, fixed.getBytes(StandardCharsets.UTF_8)));
        clock.set(Instant.parse("2023-02-09T08:00:00Z"));
        Map<String, Instant> seen = Map.of("CVE-2026-3001", Instant.parse("2023-02-06T12:00:00Z"));

        ExposureHistory history = new ExposureHistory(store, clock, () -> seen);
        List<ExposureHistory.Point> points = history.compute(evaluator,
                List.of(new HostSpec("bull", null, 22, null, List.of(), CollectMethod.SSH)), 5);
        assertThat(points).extracting(p -> p.openCves().getOrDefault(org.demi.compliance.tracker.Urgency.HIGH, 0))
                .containsExactly(0, 1, 1, 0, 0); // the 5th .. the 9th: fixed by the end of the 8th

        org.demi.compliance.fleet.CveTimeline t = org.demi.compliance.fleet.CveTimeline.replay(store.history("bull"),
                c -> evaluator.evaluate("bull", store.inventory("bull", c)), seen);
        assertThat(t.since()).isEmpty();
        assertThat(t.remediations()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("CVE-2026-3001");
            assertThat(r.opened()).isEqualTo(Instant.parse("2023-02-06T12:00:00Z"));
            assertThat(r.took()).isEqualTo(java.time.Duration.ofHours(48));
        });
        // Seen in a feed before the host had it: exposed from its first collection.
        org.demi.compliance.fleet.CveTimeline early = org.demi.compliance.fleet.CveTimeline.replay(store.history("bull"),
                c -> evaluator.evaluate("bull", store.inventory("bull", c)), Map.of("CVE-2026-3001", Instant.EPOCH));
        assertThat(early.remediations().get(0).opened()).isEqualTo(Instant.parse("2023-02-05T10:00:00Z"));
    }

    /**
     * The inventories the fleet judges while it replays each host's CVE timeline (as the index
     * does for every host at a start) are the chart's too: with them taken, the chart reads no
     * inventory, and gives what judging them itself gives. Proof: the stored inventories are
     * deleted after the fleet judged them, and the chart still answers the 6th to the 8th. An
     * evaluator of the same inputs but another instance (a new judgement) takes none of them, and
     * finds the inventories gone.
     */
    @Test
    void theInventoriesTheFleetJudgedAreNotJudgedAgain() throws Exception {
        Evaluator evaluator = highOpensslCve();
        byte[] os = Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release"));
        String fixed = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"));
        List<HostSpec> hosts = List.of(new HostSpec("bull", null, 22, null, List.of(), CollectMethod.SSH),
                new HostSpec("ok", null, 22, null, List.of(), CollectMethod.SSH));
        Fleet fleet = new Fleet(tmp, clock, new Fleet.Hosts() {
            @Override
            public List<HostSpec> hosts() {
                return hosts;
            }

            @Override
            public java.util.Optional<HostSpec> host(String name) {
                return hosts.stream().filter(h -> h.host().equals(name)).findFirst();
            }
        });
        InventoryStore store = fleet.inventories();
        clock.set(Instant.parse("2023-02-05T10:00:00Z"));
        store.accept("bull", "ssh", Inventory.of(os, fixed.replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3")
                .getBytes(StandardCharsets.UTF_8)));
        store.accept("ok", "ssh", Inventory.of(os, fixed.getBytes(StandardCharsets.UTF_8)));
        clock.set(Instant.parse("2023-02-08T12:00:00Z"));
        store.accept("bull", "ssh", Inventory.of(os, fixed.getBytes(StandardCharsets.UTF_8)));
        clock.set(Instant.parse("2023-02-09T08:00:00Z"));
        Map<String, Instant> seen = Map.of("CVE-2026-3001", Instant.parse("2023-02-06T12:00:00Z"));
        ExposureHistory history = new ExposureHistory(store, clock, () -> seen);
        fleet.observe(history);

        for (HostSpec h : hosts) {
            assertThat(fleet.cveTimeline(fleet.state(h, evaluator, clock.instant()), evaluator, seen)).isNotNull();
        }
        try (java.util.stream.Stream<Path> stored = Files.walk(tmp.resolve("hosts"))) {
            for (Path p : stored.filter(p -> p.toString().endsWith(".gz")).toList()) {
                Files.delete(p);
            }
        }
        assertThat(history.compute(evaluator, hosts, 5)).extracting(p -> p.openCves().getOrDefault(
                org.demi.compliance.tracker.Urgency.HIGH, 0)).containsExactly(0, 1, 1, 0, 0); // the 5th .. the 9th
        assertThat(history.compute(evaluator, hosts, 5)).extracting(ExposureHistory.Point::hosts).containsExactly(2, 2, 2, 2, 2);
        Evaluator again = highOpensslCve();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> history.compute(again, hosts, 5))
                .isInstanceOf(java.io.IOException.class);
    }

    /** Bullseye's security archive and one high-urgency CVE in openssl, fixed in 1.1.1w-0+deb11u1: a new evaluator at each call. */
    private static Evaluator highOpensslCve() throws java.io.IOException {
        ReleaseArchive bullseye = ReleaseArchive.builder("bullseye").addPackages(new ByteArrayInputStream(
                Fixtures.plain("archive/bullseye-security/main/binary-amd64/Packages.xz")), "p", "bullseye-security", true).build();
        String json = "{\"openssl\": {\"CVE-2026-3001\": {\"releases\": {\"bullseye\": {\"status\": \"resolved\","
                + " \"fixed_version\": \"1.1.1w-0+deb11u1\", \"urgency\": \"high\"}}}}}";
        return new Evaluator(Map.of("bullseye", bullseye), AdvisoryIndex.empty(),
                org.demi.compliance.tracker.TrackerJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "json"),
                org.demi.compliance.evaluation.ReleaseCalendar.NONE, LocalDate.parse("2023-02-09"));
    }

    /**
     * The running tally gives, day by day, what judging every host's inventory of that day anew
     * gives: random fleets of 60 hosts, each with up to 6 collections over 20 days (some the same
     * inventory again, some on the same day), drawn from 25 inventories open to random advisories
     * (published on random days) and CVEs (random urgencies, first seen at random instants or always
     * known), against a plain replay that forgets nothing and keeps no count.
     */
    @Test
    void theRunningTallyGivesWhatJudgingEveryHostEachDayGives() throws Exception {
        LocalDate first = LocalDate.parse("2026-03-01");
        LocalDate today = first.plusDays(19);
        org.demi.compliance.tracker.Urgency[] urgencies = org.demi.compliance.tracker.Urgency.values();
        for (int seed = 0; seed < 40; seed++) {
            java.util.Random r = new java.util.Random(seed);
            List<ExposureHistory.Judged> inventories = new java.util.ArrayList<>();
            for (int k = 0; k < 25; k++) {
                List<ExposureHistory.Exposure> advisories = new java.util.ArrayList<>();
                java.util.Set<String> ids = new java.util.HashSet<>();
                for (int a = r.nextInt(4); a > 0; a--) {
                    String id = "DSA-" + r.nextInt(12);
                    if (ids.add(id)) {
                        // An advisory's day is its own: the same id is published on one day in every inventory.
                        advisories.add(new ExposureHistory.Exposure(id, first.plusDays(Math.floorMod(id.hashCode(), 25) - 2)));
                    }
                }
                List<ExposureHistory.CveExposure> cves = new java.util.ArrayList<>();
                java.util.Set<String> cveIds = new java.util.HashSet<>();
                for (int c = r.nextInt(8); c > 0; c--) {
                    String id = "CVE-2026-" + r.nextInt(30);
                    if (cveIds.add(id)) {
                        Instant known = Math.floorMod(id.hashCode(), 3) == 0 ? null
                                : first.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(Math.floorMod(id.hashCode(), 22 * 86400));
                        cves.add(new ExposureHistory.CveExposure(id, urgencies[r.nextInt(urgencies.length)], known));
                    }
                }
                inventories.add(new ExposureHistory.Judged(List.copyOf(advisories), List.copyOf(cves)));
            }
            List<ExposureHistory.Timeline> timelines = new java.util.ArrayList<>();
            for (int h = 0; h < 60; h++) {
                List<org.demi.compliance.inventory.HistoryEntry> entries = new java.util.ArrayList<>();
                Instant t = first.minusDays(3).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                for (int e = r.nextInt(7); e > 0; e--) {
                    t = t.plusSeconds(r.nextInt(6 * 86400));
                    entries.add(new org.demi.compliance.inventory.HistoryEntry(t, "push",
                            java.util.Optional.of(String.format("%064x", r.nextInt(inventories.size()))), Outcome.STORED, ""));
                }
                timelines.add(new ExposureHistory.Timeline("h" + h, entries));
            }
            ExposureHistory.Judge judge = (host, sum) -> inventories.get(Integer.parseInt(sum.substring(56), 16));

            List<ExposureHistory.Point> tallied = ExposureHistory.replay(timelines, judge, first, today);
            List<ExposureHistory.Point> plain = new java.util.ArrayList<>();
            for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
                Instant end = day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                java.util.Set<String> open = new java.util.HashSet<>();
                Map<String, org.demi.compliance.tracker.Urgency> worst = new java.util.HashMap<>();
                int hosts = 0;
                int exposed = 0;
                for (ExposureHistory.Timeline tl : timelines) {
                    org.demi.compliance.inventory.HistoryEntry last = null;
                    for (org.demi.compliance.inventory.HistoryEntry e : tl.entries()) {
                        if (e.time().isBefore(end)) {
                            last = e;
                        }
                    }
                    if (last == null) {
                        continue;
                    }
                    hosts++;
                    ExposureHistory.Judged j = judge.judged(tl.host(), last.checksum().orElseThrow());
                    LocalDate d = day;
                    if (j.advisories().stream().anyMatch(x -> !x.published().isAfter(d))) {
                        exposed++;
                    }
                    j.advisories().stream().filter(x -> !x.published().isAfter(d)).forEach(x -> open.add(x.id()));
                    for (ExposureHistory.CveExposure c : j.cves()) {
                        if (c.known() == null || c.known().isBefore(end)) {
                            worst.merge(c.id(), c.urgency(), (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
                        }
                    }
                }
                Map<org.demi.compliance.tracker.Urgency, Integer> byUrgency = new java.util.EnumMap<>(org.demi.compliance.tracker.Urgency.class);
                worst.values().forEach(u -> byUrgency.merge(u, 1, Integer::sum));
                plain.add(new ExposureHistory.Point(day, open.size(), exposed, hosts, byUrgency));
            }
            assertThat(tallied).as("seed " + seed).isEqualTo(plain);
        }
    }
}
