package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.status.StatusEntry;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Demi's {@code update} + {@code security-update} set of each fixture host must be exactly
 * what real apt lists as upgradable, given the host's status file and the same signed indices
 * (served to apt from a {@code file:} archive in a throw-away root).
 */
class AptUpgradableOracleTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
            "bookworm-minbase, bookworm, bookworm bookworm-security, ''",
            "bookworm-dev,     bookworm, bookworm bookworm-security, ''",
            "bullseye-minbase, bullseye, bullseye-security,          ''",
            // Installed from a point release newer than this trixie-security: nothing to upgrade, and
            // openssl is newer than the archive; with curl set back, curl is a security update.
            "trixie-minbase,   trixie,   trixie-security,            ''",
            "trixie-minbase,   trixie,   trixie-security,            curl=8.14.1-2"})
    void updatesAreWhatAptCallsUpgradable(String host, String release, String suites, String setBack) throws Exception {
        Path repo = tmp.resolve("repo");
        ReleaseArchive.Builder archive = ReleaseArchive.builder(release);
        StringBuilder sources = new StringBuilder();
        for (String suite : suites.split(" ")) {
            Path dist = repo.resolve("dists/" + suite);
            Files.createDirectories(dist.resolve("main/binary-amd64"));
            Files.copy(Fixtures.path("archive/" + suite + "/InRelease"), dist.resolve("InRelease"));
            Files.copy(Fixtures.path("archive/" + suite + "/main/binary-amd64/Packages.xz"),
                    dist.resolve("main/binary-amd64/Packages.xz"));
            sources.append("deb [arch=amd64 signed-by=").append(Fixtures.path("keyrings/debian-archive-keyring.gpg").toAbsolutePath())
                    .append("] file:").append(repo).append(' ').append(suite).append(" main\n");
            archive.addPackages(new ByteArrayInputStream(Fixtures.plain("archive/" + suite + "/main/binary-amd64/Packages.xz")),
                    suite + "/Packages", suite, suite.endsWith("-security"));
        }
        Path status = Fixtures.path("hosts/" + host + "/status").toAbsolutePath();
        if (!setBack.isEmpty()) {
            String[] nv = setBack.split("=");
            String text = Files.readString(status);
            String changed = text.replaceFirst("(?m)(^Package: " + nv[0] + "\n(?:[^\n]+\n)*?Version: )[^\n]+", "$1" + nv[1]);
            assertThat(changed).isNotEqualTo(text);
            status = tmp.resolve("status");
            Files.writeString(status, changed);
        }
        Set<String> apt = aptUpgradable(sources.toString(), status);

        List<StatusEntry> entries = StatusFile.parse(Files.readAllBytes(status), host);
        OsRelease os = OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/" + host + "/os-release")));
        HostEvaluation e = new Evaluator(Map.of(release, archive.build()), AdvisoryIndex.empty()).evaluate(host, os, entries);
        assertThat(e.release()).hasValue(release);
        Set<String> demi = new TreeSet<>();
        e.packages().stream().filter(p -> p.state().hasUpdate()).forEach(p -> demi.add(p.qualifiedName()));

        assertThat(demi).as("apt list --upgradable for " + host).isEqualTo(apt);
        if (release.equals("trixie")) {
            assertThat(e.packages()).filteredOn(p -> p.packageName().equals("openssl")).singleElement()
                    .extracting(PackageEvaluation::state).isEqualTo(PackageState.NEWER_THAN_ARCHIVE);
            assertThat(apt).isEqualTo(setBack.isEmpty() ? Set.of() : Set.of("curl:amd64"));
        } else {
            assertThat(apt).as("the fixture hosts lag behind their security suites").isNotEmpty();
        }
        if (!apt.isEmpty()) {
            assertThat(e.count(PackageState.SECURITY_UPDATE)).isPositive();
        }
    }

    private Set<String> aptUpgradable(String sources, Path status) throws Exception {
        Path root = tmp.resolve("apt");
        for (String d : List.of("etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d",
                "var/lib/apt/lists/partial", "var/cache/apt/archives/partial")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("etc/apt/sources.list"), sources);
        List<String> common = List.of("-o", "Dir=" + root, "-o", "Dir::State::status=" + status,
                "-o", "APT::Architecture=amd64", "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1",
                "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none",
                "-o", "Acquire::Check-Valid-Until=false", "-o", "Dir::Etc::trusted=" + root.resolve("none"),
                "-o", "Dir::Etc::trustedparts=" + root.resolve("none.d"));
        List<String> update = new ArrayList<>(List.of("apt-get", "-q"));
        update.addAll(common);
        update.add("update");
        Fixtures.run(update, null);
        List<String> list = new ArrayList<>(List.of("apt"));
        list.addAll(common);
        list.addAll(List.of("list", "--upgradable"));
        Set<String> out = new TreeSet<>();
        for (String line : Fixtures.run(list, null).split("\n")) {
            // openssl/bookworm-security 3.0.17-1~deb12u3 amd64 [upgradable from: 3.0.11-1~deb12u2]
            if (line.contains("[upgradable from:")) {
                String[] f = line.split(" ");
                out.add(f[0].substring(0, f[0].indexOf('/')) + ":" + f[2]);
            }
        }
        return out;
    }
}
