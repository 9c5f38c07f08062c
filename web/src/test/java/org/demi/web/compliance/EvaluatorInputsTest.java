package org.demi.web.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.evaluation.SecuritySupport;
import org.demi.deb.release.Release;
import org.demi.deb.release.ReleaseFile;
import org.demi.mirror.store.PublishedSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint of what an evaluator is made from changes with each thing it is made from, and
 * with nothing else: a server that finds it unchanged keeps what its index was judged by.
 */
class EvaluatorInputsTest {
    private static final LocalDate DAY = LocalDate.parse("2026-12-03");
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @TempDir
    Path tmp;

    @Test
    void eachInputChangesTheFingerprintAndNothingElseDoes() throws Exception {
        Path advisories = tmp.resolve("advisories");
        Files.createDirectories(advisories);
        Files.writeString(advisories.resolve("DSA-list"), "[01 Dec 2026] DSA-6000-1 openssl - security update\n");
        List<PublishedSuite> suites = List.of(suite("bookworm-security", "bookworm-security", SHA_A, false));
        String base = EvaluatorInputs.named(suites, advisories);

        // The same things again (new objects, the same content): the same fingerprint.
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "bookworm-security", SHA_A, false)), advisories))
                .isEqualTo(base);
        // A suite whose signed Release lists another Packages: a new archive to judge by.
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "bookworm-security", SHA_B, false)), advisories))
                .isNotEqualTo(base);
        // The same files, but apt no longer upgrades to the suite (NotAutomatic), or it serves another release.
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "bookworm-security", SHA_A, true)), advisories))
                .isNotEqualTo(base);
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "trixie-security", SHA_A, false)), advisories))
                .isNotEqualTo(base);
        // A suite more, or none.
        assertThat(EvaluatorInputs.named(List.of(suites.get(0), suite("bookworm", "bookworm", SHA_B, false)), advisories))
                .isNotEqualTo(base);
        assertThat(EvaluatorInputs.named(List.of(), advisories)).isNotEqualTo(base);
        // An advisory list changed by one character, or a file more in advisories/ (the tracker's data).
        Files.writeString(advisories.resolve("DSA-list"), "[01 Dec 2026] DSA-6000-2 openssl - security update\n");
        assertThat(EvaluatorInputs.named(suites, advisories)).isNotEqualTo(base);
        Files.writeString(advisories.resolve("DSA-list"), "[01 Dec 2026] DSA-6000-1 openssl - security update\n");
        assertThat(EvaluatorInputs.named(suites, advisories)).isEqualTo(base);
        Files.writeString(advisories.resolve("tracker-json"), "{}");
        String withTracker = EvaluatorInputs.named(suites, advisories);
        assertThat(withTracker).isNotEqualTo(base);

        // The release dates and support lists read from the pool, by package and version.
        ReleaseCalendar calendar = calendar("0.58");
        SecuritySupport support = new SecuritySupport(Map.of(), List.of(), "debian-security-support 1:12+2025.01.01");
        String pool = EvaluatorInputs.withPoolData(withTracker, calendar, support, DAY);
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar("0.58"), support, DAY)).isEqualTo(pool);
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar("0.59"), support, DAY)).isNotEqualTo(pool);
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar, SecuritySupport.NONE, DAY)).isNotEqualTo(pool);

        // The day counts by what it decides: the next one decides as today does, and so does the
        // day before bookworm's end (2026-07-11 in this calendar), but not that day.
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar, support, DAY.plusDays(1))).isEqualTo(pool);
        LocalDate end = LocalDate.parse("2026-07-11");
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar, support, end.minusDays(1)))
                .isNotEqualTo(EvaluatorInputs.withPoolData(withTracker, calendar, support, end));
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar, support, end.plusDays(30)))
                .isEqualTo(EvaluatorInputs.withPoolData(withTracker, calendar, support, end));
        // A listed end of a source's support passing, in a list from the same package.
        SecuritySupport ending = new SecuritySupport(Map.of("12", List.of(new SecuritySupport.Ended(
                java.util.regex.Pattern.compile("mbedtls"), "2.16.9", DAY.plusDays(7), "hard to support"))), List.of(), support.source());
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar, ending, DAY.plusDays(6)))
                .isEqualTo(EvaluatorInputs.withPoolData(withTracker, calendar, ending, DAY));
        assertThat(EvaluatorInputs.withPoolData(withTracker, calendar, ending, DAY.plusDays(7)))
                .isNotEqualTo(EvaluatorInputs.withPoolData(withTracker, calendar, ending, DAY));
    }

    /** A calendar of two releases, as distro-info-data's debian.csv lists them. */
    private static ReleaseCalendar calendar(String version) {
        String csv = "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
                + "11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14,2026-08-31,2029-06-30\n"
                + "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30,2033-06-30\n";
        return ReleaseCalendar.parse(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), "distro-info-data " + version);
    }

    private static PublishedSuite suite(String dir, String codename, String packagesSha, boolean notAutomatic) {
        Release r = new Release("Debian", codename.endsWith("-security") ? "Debian-Security" : "Debian", codename, codename, "",
                Optional.empty(), Optional.empty(), List.of("amd64"), List.of("main"), false,
                List.of(new ReleaseFile("main/binary-amd64/Packages.xz", 100, packagesSha)));
        return new PublishedSuite("debian-security", dir, r, notAutomatic, List.of(), List.of());
    }
}
