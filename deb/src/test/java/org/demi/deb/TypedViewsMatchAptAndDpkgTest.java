package org.demi.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.sources.SourceEntry;
import org.demi.deb.status.StatusEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The typed views give the values Debian's own tools give for the same files: dpkg-query
 * for status files (including the source package and version dpkg derives), apt-cache for
 * Packages and Sources indices, read from a throw-away apt root.
 */
class TypedViewsMatchAptAndDpkgTest {

    @ParameterizedTest
    @ValueSource(strings = {"bookworm-dev", "bookworm-minbase", "bullseye-minbase", "trixie-minbase"})
    void statusEntriesMatchDpkgQuery(String host, @TempDir Path tmp) throws Exception {
        Path admin = Files.createDirectories(tmp.resolve("admin"));
        Files.createDirectories(admin.resolve("info"));
        Files.copy(Fixtures.path("hosts/" + host + "/status"), admin.resolve("status"));
        String out = Fixtures.run(List.of("dpkg-query", "--admindir=" + admin, "-W", "-f",
                "${Package}\\t${Architecture}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${Status}\\t"
                        + "${Multi-Arch}\\t${binary:Summary}\\n"), null);
        Map<String, String[]> dpkg = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            dpkg.put(f[0] + ":" + f[1], f);
        }

        List<StatusEntry> entries = new ArrayList<>();
        for (Paragraph p : paragraphs(Files.readAllBytes(Fixtures.path("hosts/" + host + "/status")))) {
            entries.add(StatusEntry.of(p));
        }
        assertThat(entries).hasSize(dpkg.size());
        for (StatusEntry e : entries) {
            String[] d = dpkg.get(e.packageName() + ":" + e.architecture());
            assertThat(d).as("dpkg knows %s", e.packageName()).isNotNull();
            assertThat(e.version()).hasToString(d[2]);
            assertThat(e.source().name()).as("source of %s", e.packageName()).isEqualTo(d[3]);
            assertThat(e.source().version()).as("source version of %s", e.packageName()).hasToString(d[4]);
            assertThat(e.status()).hasToString(d[5]);
            assertThat(e.multiArch()).isEqualTo(d[6]);
            // dpkg keeps a trailing blank that deb822(5) excludes from the value (libgdbm-compat4).
            assertThat(e.description()).isEqualTo(d[7].strip());
            assertThat(e.isInstalled()).isTrue();
        }
    }

    @Test
    void packagesEntriesMatchAptCacheShow(@TempDir Path tmp) throws Exception {
        byte[] index = Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz");
        AptRoot apt = new AptRoot(tmp);
        apt.addList("binary-amd64_Packages", index);

        List<PackageEntry> sample = new ArrayList<>();
        List<Paragraph> all = paragraphs(index);
        for (int i = 0; i < all.size(); i += 40) {
            sample.add(PackageEntry.of(all.get(i)));
        }
        List<String> names = sample.stream().map(PackageEntry::packageName).distinct().toList();
        Map<String, Paragraph> shown = new HashMap<>();
        for (Paragraph p : paragraphs(apt.cache("show", names).getBytes(StandardCharsets.UTF_8))) {
            shown.put(p.get("Package") + " " + p.get("Version") + " " + p.get("Architecture"), p);
        }
        for (PackageEntry e : sample) {
            Paragraph a = shown.get(e.packageName() + " " + e.version() + " " + e.architecture());
            assertThat(a).as("apt-cache shows %s %s", e.packageName(), e.version()).isNotNull();
            assertThat(e.filename()).isEqualTo(a.get("Filename"));
            assertThat(e.size()).isEqualTo(Long.parseLong(a.get("Size")));
            assertThat(e.sha256()).isEqualTo(a.get("SHA256"));
            assertThat(e.section()).isEqualTo(a.get("Section"));
            assertThat(e.priority()).isEqualTo(a.get("Priority"));
            assertThat(e.description()).isEqualTo(a.get("Description"));
            String source = a.get("Source");
            String expectedSource = source == null ? e.packageName() : source.replaceAll(" \\(.*", "");
            assertThat(e.source().name()).isEqualTo(expectedSource);
            if (source != null && source.contains("(")) {
                assertThat(e.source().version() + ")").isEqualTo(source.replaceAll(".*\\(", ""));
            } else {
                assertThat(e.source().version()).isEqualTo(e.version());
            }
        }
        assertThat(sample).hasSizeGreaterThan(50);
    }

    @Test
    void sourcesEntriesMatchAptCacheShowsrc(@TempDir Path tmp) throws Exception {
        byte[] index = Fixtures.plain("archive/bookworm-security/main/source/Sources.xz");
        AptRoot apt = new AptRoot(tmp);
        apt.addList("source_Sources", index);
        List<Paragraph> all = paragraphs(index);
        List<SourceEntry> sample = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 25) {
            sample.add(SourceEntry.of(all.get(i)));
        }
        Map<String, Paragraph> shown = new HashMap<>();
        String out = apt.cache("showsrc", sample.stream().map(SourceEntry::packageName).distinct().toList());
        for (Paragraph p : paragraphs(out.getBytes(StandardCharsets.UTF_8))) {
            shown.put(p.get("Package") + " " + p.get("Version"), p);
        }
        for (SourceEntry e : sample) {
            Paragraph a = shown.get(e.packageName() + " " + e.version());
            assertThat(a).as("apt-cache showsrc %s %s", e.packageName(), e.version()).isNotNull();
            assertThat(String.join(", ", e.binaries())).isEqualTo(a.get("Binary").replaceAll("\\s*\n\\s*", " "));
            assertThat(e.directory()).isEqualTo(a.get("Directory"));
            assertThat(e.files()).hasSize(a.lines("Checksums-Sha256").size());
            for (int k = 0; k < e.files().size(); k++) {
                var f = e.files().get(k);
                assertThat(f.sha256() + " " + f.size() + " " + f.path()).isEqualTo(a.lines("Checksums-Sha256").get(k));
            }
        }
    }

    static List<Paragraph> paragraphs(byte[] bytes) throws IOException {
        return ParagraphReader.readAll(new ByteArrayInputStream(bytes), "test");
    }

    /** A throw-away apt configuration that reads one index from its lists directory. */
    static final class AptRoot {
        private final Path root;

        AptRoot(Path root) throws IOException {
            this.root = root;
            Files.createDirectories(root.resolve("lists/partial"));
            Files.createDirectories(root.resolve("cache/archives/partial"));
            Files.createDirectories(root.resolve("etc/preferences.d"));
            Files.writeString(root.resolve("status"), "");
            Files.writeString(root.resolve("etc/sources.list"),
                    "deb [trusted=yes arch=amd64] file:/fixture bookworm-security main\n"
                            + "deb-src [trusted=yes] file:/fixture bookworm-security main\n");
        }

        void addList(String suffix, byte[] content) throws IOException {
            Files.write(root.resolve("lists/_fixture_dists_bookworm-security_main_" + suffix), content);
        }

        String cache(String command, List<String> names) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("apt-cache",
                    "-o", "Dir=" + root, "-o", "Dir::State::Lists=" + root.resolve("lists"),
                    "-o", "Dir::State::status=" + root.resolve("status"),
                    "-o", "Dir::Etc::SourceList=" + root.resolve("etc/sources.list"),
                    "-o", "Dir::Etc::SourceParts=" + root.resolve("nonexistent"),
                    "-o", "Dir::Cache=" + root.resolve("cache"),
                    "-o", "Dir::Etc::Preferences=/dev/null",
                    "-o", "Dir::Etc::PreferencesParts=" + root.resolve("etc/preferences.d"),
                    "-o", "APT::Architecture=amd64", "-o", "APT::Architectures=amd64", command));
            cmd.addAll(names);
            return Fixtures.run(cmd, null);
        }
    }
}
