package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which DSAs a host is open to, reasoned case by case on copies of the bullseye fixture
 * host with chosen packages set back below a fix of the April 2023 DSA list. Advisories name
 * source packages and source versions; the cases below are chosen where a comparison of
 * binary versions would give the wrong answer.
 */
class OpenAdvisoriesTest {
    static Evaluator evaluator;
    static String status;
    static OsRelease os;

    @BeforeAll
    static void load() throws Exception {
        AdvisoryList dsa = AdvisoryList.parse(Files.readAllBytes(Fixtures.path("tracker/DSA-list")), "DSA-list");
        ReleaseArchive bullseye = ReleaseArchive.builder("bullseye").addPackages(
                new ByteArrayInputStream(Fixtures.plain("archive/bullseye-security/main/binary-amd64/Packages.xz")),
                "Packages", "bullseye-security", true).build();
        evaluator = new Evaluator(Map.of("bullseye", bullseye), new AdvisoryIndex(dsa.advisories()));
        status = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"));
        os = OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release")));
    }

    private static HostEvaluation evaluate(String statusText) {
        return evaluator.evaluate("h", os, StatusFile.parse(statusText.getBytes(java.nio.charset.StandardCharsets.UTF_8), "status"));
    }

    private static List<String> ids(HostEvaluation e) {
        return e.openAdvisories().stream().map(OpenAdvisory::id).toList();
    }

    /**
     * Rewrites every stanza built from {@code source} to {@code sourceVersion}: each binary keeps
     * its own epoch (util-linux's binaries carry {@code 1:}, the source none), and the
     * {@code Source:} field names the source version wherever the binary's differs.
     */
    private static String setSource(String text, String source, String sourceVersion) {
        List<String> out = new ArrayList<>();
        for (String stanza : text.split("\n\n")) {
            Matcher pkg = Pattern.compile("(?m)^Package: (\\S+)$").matcher(stanza);
            Matcher src = Pattern.compile("(?m)^Source: (\\S+).*$").matcher(stanza);
            Matcher ver = Pattern.compile("(?m)^Version: (\\S+)$").matcher(stanza);
            boolean built = pkg.find() && (pkg.group(1).equals(source) || src.find() && src.group(1).equals(source));
            if (built && ver.find()) {
                String old = ver.group(1);
                String binary = (old.contains(":") ? old.substring(0, old.indexOf(':') + 1) : "") + sourceVersion;
                stanza = stanza.replaceFirst("(?m)^Version: .*$", "Version: " + binary)
                        .replaceFirst("(?m)^Source: .*\\n", "");
                if (!pkg.group(1).equals(source) || !binary.equals(sourceVersion)) {
                    String field = "Source: " + source + (binary.equals(sourceVersion) ? "" : " (" + sourceVersion + ")");
                    stanza = stanza.replaceFirst("(?m)^(Package: .*)$", "$1\n" + field);
                }
            }
            out.add(stanza);
        }
        String result = String.join("\n\n", out);
        assertThat(result).as("set " + source + " back").isNotEqualTo(text);
        return result;
    }

    @Test
    void theUnchangedHostIsPastEveryDsaOfTheList() {
        // Installed from a point release after April 2023: every bullseye fix in the list is older.
        HostEvaluation e = evaluate(status);
        assertThat(e.openAdvisories()).isEmpty();
        assertThat(e.packages()).allSatisfy(p -> assertThat(p.advisories()).isEmpty());
    }

    @Test
    void opensslBeforeItsFebruaryFixOpensDsa5343AndNothingOlder() {
        // 1.1.1n-0+deb11u3 is below DSA-5343-1's 1.1.1n-0+deb11u4, and equal to the fix of the
        // previous one (DSA-5169-1), which is therefore closed: a fixed version is not open.
        HostEvaluation e = evaluate(setSource(status, "openssl", "1.1.1n-0+deb11u3"));
        assertThat(ids(e)).containsExactly("DSA-5343-1");
        OpenAdvisory a = e.openAdvisories().get(0);
        assertThat(a.date()).isEqualTo(LocalDate.of(2023, 2, 7));
        assertThat(a.fixedVersion()).hasToString("1.1.1n-0+deb11u4");
        assertThat(a.installedSourceVersion()).hasToString("1.1.1n-0+deb11u3");
        assertThat(a.binaries()).containsExactlyInAnyOrder("openssl:amd64", "libssl1.1:amd64");
        assertThat(e.oldestOpenAdvisory()).hasValue(LocalDate.of(2023, 2, 7));
        assertThat(e.compliant()).isFalse();
        assertThat(e.packages()).filteredOn(p -> p.packageName().equals("libssl1.1")).singleElement()
                .satisfies(p -> assertThat(p.advisories()).containsExactly("DSA-5343-1"));
    }

    @Test
    void aBinNmuIsJudgedByItsSourceVersion() {
        // libssl1.1 1.1.1n-0+deb11u3+b1 is a rebuild of source 1.1.1n-0+deb11u3: still open to DSA-5343-1,
        // and only through that binary (openssl itself stays at the host's current version).
        String binNmu = status.replaceFirst("(?m)^Package: libssl1.1\\n((?:.+\\n)*?)Version: .*$",
                "Package: libssl1.1\n$1Version: 1.1.1n-0+deb11u3+b1")
                .replaceFirst("(?m)^(Package: libssl1.1\\n(?:.+\\n)*?)Source: openssl\\n", "$1Source: openssl (1.1.1n-0+deb11u3)\n");
        assertThat(binNmu).contains("Source: openssl (1.1.1n-0+deb11u3)").contains("Version: 1.1.1n-0+deb11u3+b1");
        HostEvaluation e = evaluate(binNmu);
        assertThat(ids(e)).containsExactly("DSA-5343-1");
        assertThat(e.openAdvisories().get(0).binaries()).containsExactly("libssl1.1:amd64");
        // The rebuild of the fixed source (u4+b1, source u4) is closed.
        String fixed = binNmu.replace("1.1.1n-0+deb11u3", "1.1.1n-0+deb11u4");
        assertThat(evaluate(fixed).openAdvisories()).isEmpty();
    }

    @Test
    void anEpochOnTheBinariesDoesNotHideAnOpenSourceVersion() {
        // util-linux's binaries (bsdutils 1:2.36.1-8, ...) carry an epoch the source lacks. Compared as
        // binary versions, 1:2.36.1-8 is above DSA-5055-1's 2.36.1-8+deb11u1; as source versions,
        // 2.36.1-8 is below it: open.
        HostEvaluation e = evaluate(setSource(status, "util-linux", "2.36.1-8"));
        assertThat(ids(e)).containsExactly("DSA-5055-1");
        assertThat(e.openAdvisories().get(0).binaries()).contains("bsdutils:amd64", "libblkid1:amd64", "mount:amd64");
    }

    @Test
    void severalFixesOfOneSourceOpenOneByOne() {
        // curl at 7.74.0-1.3+deb11u4: below DSA-5330-1 (deb11u5) and DSA-5365-1 (deb11u7), above
        // the older DSA-5197-1 fix (deb11u2). Oldest open is January's.
        HostEvaluation e = evaluate(setSource(status, "curl", "7.74.0-1.3+deb11u4"));
        assertThat(ids(e)).containsExactly("DSA-5330-1", "DSA-5365-1");
        assertThat(e.oldestOpenAdvisory()).hasValue(LocalDate.of(2023, 1, 27));
        // At deb11u6, only the later one.
        assertThat(ids(evaluate(setSource(status, "curl", "7.74.0-1.3+deb11u6")))).containsExactly("DSA-5365-1");
        // At the fixed version itself, none.
        assertThat(ids(evaluate(setSource(status, "curl", "7.74.0-1.3+deb11u7")))).isEmpty();
    }

    /**
     * The host is at the newest openssl the mirror has (deb11u3), but DSA-5343-1 is fixed in
     * deb11u4, which the mirror does not offer yet. The package used to be "current" beside an
     * open advisory; it is "fix-not-in-mirror": the mirror lags, and only the administrator can
     * act on that. With the fix in the mirror it is a security update again.
     */
    @Test
    void anOpenAdvisoryWhoseFixTheMirrorLacksIsItsOwnState() throws Exception {
        AdvisoryList dsa = AdvisoryList.parse(Files.readAllBytes(Fixtures.path("tracker/DSA-list")), "DSA-list");
        String host = setSource(status, "openssl", "1.1.1n-0+deb11u3");
        java.util.function.Function<String, ReleaseArchive> mirrorAt = v -> {
            ReleaseArchive.Builder b = ReleaseArchive.builder("bullseye");
            for (String bin : List.of("openssl", "libssl1.1")) {
                b.add(new Available(bin, "amd64", org.demi.deb.version.Version.parse(v),
                        new org.demi.deb.packages.SourceRef("openssl", org.demi.deb.version.Version.parse(v)), "bullseye-security", true,
                        "", ""));
            }
            return b.build();
        };
        Evaluator lagging = new Evaluator(Map.of("bullseye", mirrorAt.apply("1.1.1n-0+deb11u3")), new AdvisoryIndex(dsa.advisories()));
        HostEvaluation e = lagging.evaluate("h", os, StatusFile.parse(host.getBytes(java.nio.charset.StandardCharsets.UTF_8), "status"));
        assertThat(e.packages()).filteredOn(p -> p.source().name().equals("openssl")).extracting(PackageEvaluation::state)
                .containsOnly(PackageState.FIX_NOT_IN_MIRROR).hasSize(2);
        assertThat(PackageState.FIX_NOT_IN_MIRROR.word()).isEqualTo("fix-not-in-mirror");

        Evaluator caughtUp = new Evaluator(Map.of("bullseye", mirrorAt.apply("1.1.1n-0+deb11u4")), new AdvisoryIndex(dsa.advisories()));
        HostEvaluation fixed = caughtUp.evaluate("h", os, StatusFile.parse(host.getBytes(java.nio.charset.StandardCharsets.UTF_8), "status"));
        assertThat(fixed.packages()).filteredOn(p -> p.source().name().equals("openssl")).extracting(PackageEvaluation::state)
                .containsOnly(PackageState.SECURITY_UPDATE);
    }
}
