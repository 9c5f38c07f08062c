package org.demi.web.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
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
        String base = EvaluatorInputs.named(suites, advisories, DAY);

        // The same things again (new objects, the same content): the same fingerprint.
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "bookworm-security", SHA_A, false)), advisories, DAY))
                .isEqualTo(base);
        // A suite whose signed Release lists another Packages: a new archive to judge by.
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "bookworm-security", SHA_B, false)), advisories, DAY))
                .isNotEqualTo(base);
        // The same files, but apt no longer upgrades to the suite (NotAutomatic), or it serves another release.
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "bookworm-security", SHA_A, true)), advisories, DAY))
                .isNotEqualTo(base);
        assertThat(EvaluatorInputs.named(List.of(suite("bookworm-security", "trixie-security", SHA_A, false)), advisories, DAY))
                .isNotEqualTo(base);
        // A suite more, or none.
        assertThat(EvaluatorInputs.named(List.of(suites.get(0), suite("bookworm", "bookworm", SHA_B, false)), advisories, DAY))
                .isNotEqualTo(base);
        assertThat(EvaluatorInputs.named(List.of(), advisories, DAY)).isNotEqualTo(base);
        // The next day: support ends on dates.
        assertThat(EvaluatorInputs.named(suites, advisories, DAY.plusDays(1))).isNotEqualTo(base);
        // An advisory list changed by one character, or a file more in advisories/ (the tracker's data).
        Files.writeString(advisories.resolve("DSA-list"), "[01 Dec 2026] DSA-6000-2 openssl - security update\n");
        assertThat(EvaluatorInputs.named(suites, advisories, DAY)).isNotEqualTo(base);
        Files.writeString(advisories.resolve("DSA-list"), "[01 Dec 2026] DSA-6000-1 openssl - security update\n");
        assertThat(EvaluatorInputs.named(suites, advisories, DAY)).isEqualTo(base);
        Files.writeString(advisories.resolve("tracker-json"), "{}");
        String withTracker = EvaluatorInputs.named(suites, advisories, DAY);
        assertThat(withTracker).isNotEqualTo(base);

        // The release dates and support lists read from the pool, by package and version.
        String pool = EvaluatorInputs.withPoolData(withTracker, "distro-info-data 0.58", "debian-security-support 1:12+2025.01.01");
        assertThat(EvaluatorInputs.withPoolData(withTracker, "distro-info-data 0.58", "debian-security-support 1:12+2025.01.01"))
                .isEqualTo(pool);
        assertThat(EvaluatorInputs.withPoolData(withTracker, "distro-info-data 0.59", "debian-security-support 1:12+2025.01.01"))
                .isNotEqualTo(pool);
        assertThat(EvaluatorInputs.withPoolData(withTracker, "distro-info-data 0.58", "")).isNotEqualTo(pool);
    }

    private static PublishedSuite suite(String dir, String codename, String packagesSha, boolean notAutomatic) {
        Release r = new Release("Debian", codename.endsWith("-security") ? "Debian-Security" : "Debian", codename, codename, "",
                Optional.empty(), Optional.empty(), List.of("amd64"), List.of("main"), false,
                List.of(new ReleaseFile("main/binary-amd64/Packages.xz", 100, packagesSha)));
        return new PublishedSuite("debian-security", dir, r, notAutomatic, List.of(), List.of());
    }
}
