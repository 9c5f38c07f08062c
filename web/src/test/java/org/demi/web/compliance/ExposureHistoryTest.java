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
}
