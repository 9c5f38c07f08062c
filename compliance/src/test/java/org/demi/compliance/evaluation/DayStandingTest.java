package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.demi.compliance.inventory.StatusFile;
import org.demi.compliance.tracker.TrackerData;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.junit.jupiter.api.Test;

/**
 * What a day decides (each release's support, each listed end of a source's support passed or
 * to come) is all a day changes in a host's evaluation: two days that decide the same evaluate
 * a host identically, so a server need not judge its fleet again because the date moved on. Two
 * days that decide differently must tell apart in what they decide. Checked with Debian's real
 * dates and lists (bookworm's security support ended 2026-07-11; mbedtls's, in bookworm,
 * 2026-06-12) on the real bookworm development host with mbedtls's library added.
 */
class DayStandingTest {
    @Test
    void daysThatDecideAlikeEvaluateAlikeAndTheDaysThatEndSupportAreToldApart() throws Exception {
        ReleaseCalendar calendar = ReleaseCalendarTest.real();
        SecuritySupport support = SecuritySupportTest.real();
        ReleaseArchive bookworm = ReleaseArchive.builder("bookworm").addPackages(new ByteArrayInputStream(
                Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz")), "p", "bookworm", false).build();
        String status = Files.readString(Fixtures.path("hosts/bookworm-dev/status")) + "\n"
                + "Package: libmbedcrypto7\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 1\n"
                + "Maintainer: Someone <someone@example.org>\nArchitecture: amd64\nSource: mbedtls\nVersion: 2.28.3-1\n"
                + "Description: lightweight crypto library\n";
        OsRelease os = OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/os-release")));
        var packages = StatusFile.parse(status.getBytes(StandardCharsets.UTF_8), "status");

        // The days around both ends, and random days from 2025 to 2029.
        List<LocalDate> days = new ArrayList<>(List.of(LocalDate.of(2026, 6, 11), LocalDate.of(2026, 6, 12),
                LocalDate.of(2026, 6, 13), LocalDate.of(2026, 7, 10), LocalDate.of(2026, 7, 11), LocalDate.of(2026, 7, 12)));
        Random random = new Random(17);
        for (int i = 0; i < 14; i++) {
            days.add(LocalDate.of(2025, 1, 1).plusDays(random.nextInt(4 * 365)));
        }
        List<String> standings = new ArrayList<>();
        List<HostEvaluation> evaluations = new ArrayList<>();
        for (LocalDate day : days) {
            standings.add(calendar.standing(day) + " | " + support.standing(day));
            evaluations.add(new Evaluator(Map.of("bookworm", bookworm), AdvisoryIndex.empty(), TrackerData.empty(), calendar,
                    support, day).evaluate("dev", os, packages));
        }
        int alike = 0;
        for (int a = 0; a < days.size(); a++) {
            for (int b = a + 1; b < days.size(); b++) {
                if (standings.get(a).equals(standings.get(b))) {
                    alike++;
                    assertThat(evaluations.get(b)).as(days.get(a) + " and " + days.get(b) + " decide alike").isEqualTo(evaluations.get(a));
                }
            }
        }
        assertThat(alike).as("pairs of days that decide alike").isGreaterThan(20);

        // The day mbedtls's support ends, and the day bookworm's does: each decides otherwise than
        // the day before, and the host's evaluation shows it.
        for (int i : new int[] {0, 3}) {
            assertThat(standings.get(i + 1)).as(days.get(i + 1) + " against the day before").isNotEqualTo(standings.get(i));
            assertThat(evaluations.get(i + 1)).isNotEqualTo(evaluations.get(i));
        }
        assertThat(evaluations.get(4).support()).isEqualTo(ReleaseSupport.LTS);
        assertThat(evaluations.get(3).support()).isEqualTo(ReleaseSupport.SUPPORTED);
        // Days after both ends, with no other end between them, decide alike; bullseye's LTS ending
        // (2026-08-31) is the next one.
        LocalDate before = LocalDate.of(2026, 8, 30);
        assertThat(standings.get(5)).isEqualTo(calendar.standing(before) + " | " + support.standing(before));
        assertThat(calendar.standing(before.plusDays(1))).isNotEqualTo(calendar.standing(before));
    }
}
