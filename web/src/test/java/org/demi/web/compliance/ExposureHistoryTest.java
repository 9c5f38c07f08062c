package org.demi.web.compliance;

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
        ReleaseArchive bullseye = ReleaseArchive.builder("bullseye").addPackages(new ByteArrayInputStream(
                Fixtures.plain("archive/bullseye-security/main/binary-amd64/Packages.xz")), "p", "bullseye-security", true).build();
        String json = "{\"openssl\": {\"CVE-2026-3001\": {\"releases\": {\"bullseye\": {\"status\": \"resolved\","
                + " \"fixed_version\": \"1.1.1w-0+deb11u1\", \"urgency\": \"high\"}}}}}";
        Evaluator evaluator = new Evaluator(Map.of("bullseye", bullseye), AdvisoryIndex.empty(),
                org.demi.compliance.tracker.TrackerJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "json"),
                org.demi.compliance.evaluation.ReleaseCalendar.NONE, LocalDate.parse("2023-02-09"));
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
}
