package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.BadInputException;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.packages.DebFile;
import org.junit.jupiter.api.Test;

/**
 * A release's support by Debian's own dates (the real distro-info-data of bookworm): not "the
 * mirror has a suite for it". Bullseye showed "supported" after its LTS ended.
 */
class ReleaseCalendarTest {
    static ReleaseCalendar real() throws Exception {
        byte[] csv = DebFile.dataFile(Fixtures.path("archive/bookworm/pool/main/d/distro-info-data/distro-info-data_0.58+deb12u7_all.deb"),
                "./usr/share/distro-info/debian.csv", 1 << 20).orElseThrow();
        return ReleaseCalendar.parse(csv, "distro-info-data 0.58+deb12u7");
    }

    @Test
    void eachReleaseStandsWhereDebiansDatesPutIt() throws Exception {
        ReleaseCalendar c = real();
        LocalDate day = LocalDate.of(2026, 12, 1);
        assertThat(c.support("bullseye", day)).isEqualTo(ReleaseSupport.ENDED); // LTS ended 2026-08-31
        assertThat(c.support("bookworm", day)).isEqualTo(ReleaseSupport.LTS); // EOL 2026-07-11, LTS until 2028-06-30
        assertThat(c.support("trixie", day)).isEqualTo(ReleaseSupport.SUPPORTED);
        assertThat(c.support("forky", day)).isEqualTo(ReleaseSupport.SUPPORTED); // no EOL decided
        assertThat(c.support("buster", day)).isEqualTo(ReleaseSupport.ENDED);
        assertThat(c.support("bullseye", LocalDate.of(2026, 8, 30))).isEqualTo(ReleaseSupport.LTS);
        assertThat(c.support("bookworm", LocalDate.of(2026, 7, 10))).isEqualTo(ReleaseSupport.SUPPORTED);
        assertThat(c.support("nosuch", day)).isEqualTo(ReleaseSupport.MIRRORED);
        assertThatThrownBy(() -> ReleaseCalendar.parse("a,b\n".getBytes(StandardCharsets.UTF_8), "x"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not distro-info-data's debian.csv");
    }

    /** A bullseye host, every package current in the mirror: past the end of LTS, it is end-of-life, never compliant. */
    @Test
    void aHostPastItsReleasesSupportIsEndOfLife() throws Exception {
        ReleaseArchive bullseye = ReleaseArchive.builder("bullseye").addPackages(
                new ByteArrayInputStream(Fixtures.plain("archive/bullseye-security/main/binary-amd64/Packages.xz")),
                "Packages", "bullseye-security", true).build();
        AdvisoryIndex none = new AdvisoryIndex(List.of());
        OsRelease os = OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release")));
        var status = StatusFile.parse(Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/status")), "status");
        HostEvaluation ended = new Evaluator(Map.of("bullseye", bullseye), none, real(), LocalDate.of(2026, 12, 1)).evaluate("h", os, status);
        assertThat(ended.support()).isEqualTo(ReleaseSupport.ENDED);
        assertThat(ended.compliant()).isFalse();
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        var seen = new org.demi.compliance.inventory.HistoryEntry(now, "push", Optional.of("0".repeat(64)),
                org.demi.compliance.inventory.Outcome.STORED, "");
        assertThat(Verdict.of(Optional.of(ended), Optional.of(seen), Optional.of(now), now, java.time.Duration.ofHours(48)))
                .isEqualTo(Verdict.END_OF_LIFE);
        // The same host while LTS still ran: judged by its packages.
        HostEvaluation lts = new Evaluator(Map.of("bullseye", bullseye), none, real(), LocalDate.of(2026, 8, 1)).evaluate("h", os, status);
        assertThat(lts.support()).isEqualTo(ReleaseSupport.LTS);
        assertThat(Verdict.of(Optional.of(lts), Optional.of(seen), Optional.of(now), now, java.time.Duration.ofHours(48)))
                .isIn(Verdict.COMPLIANT, Verdict.NON_COMPLIANT);
        // Without distro-info-data in the mirror, the support is not known, and said so.
        assertThat(new Evaluator(Map.of("bullseye", bullseye), none).evaluate("h", os, status).support())
                .isEqualTo(ReleaseSupport.MIRRORED);
    }
}
