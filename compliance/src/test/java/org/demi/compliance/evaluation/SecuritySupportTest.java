package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.demi.compliance.inventory.StatusFile;
import org.demi.compliance.tracker.TrackerData;
import org.demi.deb.BadInputException;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.packages.DebFile;
import org.junit.jupiter.api.Test;

/**
 * debian-security-support's lists, read from the real package of the fixtures' bookworm pool,
 * and flagged on the packages of the real bookworm development host, as check-support-status
 * reports them: by source name (a pattern), whatever the installed version; an end that has
 * passed, one to come, and a limitation.
 */
class SecuritySupportTest {
    static final Path DEB = Fixtures.path(
            "archive/bookworm/pool/main/d/debian-security-support/debian-security-support_12+2026.06.30_all.deb");

    static SecuritySupport real() throws Exception {
        String dir = "./usr/share/debian-security-support/";
        List<SecuritySupport.Limited> limited = SecuritySupport.parseLimited(
                DebFile.dataFile(DEB, dir + "security-support-limited", 1 << 20).orElseThrow(), "limited");
        List<SecuritySupport.Ended> ended = SecuritySupport.parseEnded(
                DebFile.dataFile(DEB, dir + "security-support-ended.deb12", 1 << 20).orElseThrow(), "ended.deb12");
        return new SecuritySupport(Map.of("12", ended), limited, "debian-security-support");
    }

    /** The development host, with mbedtls's library added as a third-party install would leave it. */
    static HostEvaluation evaluate(LocalDate today) throws Exception {
        String status = Files.readString(Fixtures.path("hosts/bookworm-dev/status")) + "\n"
                + "Package: libmbedcrypto7\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 1\n"
                + "Maintainer: Someone <someone@example.org>\nArchitecture: amd64\nSource: mbedtls\nVersion: 2.28.3-1\n"
                + "Description: lightweight crypto library\n";
        ReleaseArchive bookworm = ReleaseArchive.builder("bookworm").addPackages(new ByteArrayInputStream(
                Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz")), "p", "bookworm", false).build();
        Evaluator e = new Evaluator(Map.of("bookworm", bookworm), AdvisoryIndex.empty(), TrackerData.empty(),
                ReleaseCalendarTest.real(), real(), today);
        return e.evaluate("dev", OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/os-release"))),
                StatusFile.parse(status.getBytes(StandardCharsets.UTF_8), "status"));
    }

    static SupportLimit limit(HostEvaluation e, String pkg) {
        return e.packages().stream().filter(p -> p.packageName().equals(pkg)).findFirst().orElseThrow().supportLimit().orElse(null);
    }

    @Test
    void anEndedSourceIsFlaggedWhateverItsVersionAndALimitedOneToo() throws Exception {
        // "mbedtls 2.16.9-0.1+deb11u4 2026-06-12 ..." in the .deb12 list: ended by December, for
        // the installed 2.28.3-1 too (check-support-status does not compare versions either).
        HostEvaluation december = evaluate(LocalDate.of(2026, 12, 1));
        SupportLimit mbedtls = limit(december, "libmbedcrypto7");
        assertThat(mbedtls.kind()).isEqualTo(SupportLimit.Kind.ENDED);
        assertThat(mbedtls.describe()).startsWith("security support ended on 2026-06-12 at version 2.16.9-0.1+deb11u4: Crypto library");
        // binutils: "Only suitable for trusted content", every binary of the source.
        assertThat(limit(december, "binutils").kind()).isEqualTo(SupportLimit.Kind.LIMITED);
        assertThat(limit(december, "binutils-common").details()).startsWith("Only suitable for trusted content");
        // Packages on no list carry nothing.
        assertThat(limit(december, "bash")).isNull();
        // Before its date, the end is still to come.
        assertThat(limit(evaluate(LocalDate.of(2026, 6, 1)), "libmbedcrypto7").kind()).isEqualTo(SupportLimit.Kind.ENDING);
    }

    @Test
    void patternsMatchTheWholeSourceName() throws Exception {
        SecuritySupport s = real();
        LocalDate day = LocalDate.of(2026, 12, 1);
        // "golang.*" in the limited list, "php-horde.*" in the ended one.
        assertThat(s.limit("golang-1.19", java.util.Optional.of("12"), day)).get().extracting(SupportLimit::kind)
                .isEqualTo(SupportLimit.Kind.LIMITED);
        assertThat(s.limit("php-horde-imap-client", java.util.Optional.of("12"), day)).get().extracting(SupportLimit::kind)
                .isEqualTo(SupportLimit.Kind.ENDED);
        assertThat(s.limit("xgolang", java.util.Optional.of("12"), day)).isEmpty();
        // Another release's end list does not apply to bookworm's hosts.
        assertThat(s.limit("mbedtls", java.util.Optional.of("11"), day)).isEmpty();
    }

    @Test
    void aBrokenListNamesItsLine() {
        assertThatThrownBy(() -> SecuritySupport.parseEnded("# c\nfoo 1.0 someday\n".getBytes(StandardCharsets.UTF_8), "x.deb12"))
                .isInstanceOf(BadInputException.class).hasMessage("x.deb12:2: 'someday' is not a date");
        assertThatThrownBy(() -> SecuritySupport.parseLimited("foo(  bad\n".getBytes(StandardCharsets.UTF_8), "limited"))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("limited:1: 'foo(' is not a source name pattern");
    }
}
