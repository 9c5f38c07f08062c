package org.demi.mirror.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesParserTest {
    @Test
    void oneLineEntriesWithOptions() {
        List<AptSource> s = SourcesParser.parseList("""
                # comment
                deb http://127.0.0.1/debian bookworm main contrib
                deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg pool=all] http://127.0.0.1/debian-security bookworm-security main # trailing
                deb-src http://127.0.0.1/debian bookworm main
                """, "sources.list");
        assertThat(s).hasSize(3);
        assertThat(s.get(0).uri()).isEqualTo(URI.create("http://127.0.0.1/debian/"));
        assertThat(s.get(0).components()).containsExactly("main", "contrib");
        assertThat(s.get(0).pool()).isEqualTo(PoolPolicy.ON_DEMAND);
        assertThat(s.get(1).architectures()).containsExactly("amd64", "arm64");
        assertThat(s.get(1).signedBy().keyrings()).containsExactly("/usr/share/keyrings/x.gpg");
        assertThat(s.get(1).pool()).isEqualTo(PoolPolicy.ALL);
        assertThat(s.get(2).types()).containsExactly("deb-src");
    }

    @Test
    void deb822StanzasWithSeveralUrisFingerprintsAndDisabledOnes() {
        List<AptSource> s = SourcesParser.parseSources("""
                Types: deb deb-src
                URIs: http://127.0.0.1/debian http://127.0.0.2/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: 4CB50190207B4758A3F73A796ED0E7B82643E131
                Publish: curated

                # off
                Enabled: no
                Types: deb
                URIs: http://127.0.0.1/other
                Suites: x
                Components: main
                """, "debian.sources");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).suites()).containsExactly("bookworm", "bookworm-updates");
        assertThat(s.get(1).uri().getHost()).isEqualTo("127.0.0.2");
        assertThat(s.get(0).signedBy().fingerprints()).containsExactly("4CB50190207B4758A3F73A796ED0E7B82643E131");
        assertThat(s.get(0).publish()).isEqualTo(PublishMode.CURATED);
    }

    @Test
    void anInlineKeyBlockIsKeptWithItsEmptyLines() {
        List<AptSource> s = SourcesParser.parseSources("""
                Types: deb
                URIs: http://127.0.0.1/x
                Suites: s
                Components: main
                Signed-By:
                 -----BEGIN PGP PUBLIC KEY BLOCK-----
                 .
                 mQINBF...
                 -----END PGP PUBLIC KEY BLOCK-----
                """, "x.sources");
        assertThat(s.get(0).signedBy().inlineKey())
                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF...\n-----END PGP PUBLIC KEY BLOCK-----");
    }

    @Test
    void badEntriesNameTheirFileAndLine() {
        assertThatThrownBy(() -> SourcesParser.parseList("\n\ndeb cdrom:[Debian]/ bookworm main\n", "sources.list"))
                .hasMessageContaining("sources.list line 3").hasMessageContaining("cdrom");
        assertThatThrownBy(() -> SourcesParser.parseList("deb [trusted=yes] http://127.0.0.1/x s main\n", "l"))
                .hasMessageContaining("'trusted' is refused");
        assertThatThrownBy(() -> SourcesParser.parseList("deb http://127.0.0.1/x ./\n", "l"))
                .hasMessageContaining("flat repositories");
        assertThatThrownBy(() -> SourcesParser.parseSources("Types: deb\nURIs: http://127.0.0.1/x\n", "y.sources"))
                .hasMessageContaining("y.sources line 1").hasMessageContaining("Suites");
    }

    @Test
    void demisOwnSourcesWinOverTheMachinesAndEntriesMergeByUri(@TempDir Path tmp) throws Exception {
        Path apt = tmp.resolve("apt");
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list"), "deb cdrom:[x]/ bookworm main\ndeb http://127.0.0.1/debian bookworm main\n");
        Files.writeString(apt.resolve("sources.list.d/debian.sources"),
                "Types: deb\nURIs: http://127.0.0.1/debian-security\nSuites: bookworm-security\nComponents: main\n");
        List<String> warnings = new ArrayList<>();
        List<Upstream> machine = Upstreams.load(tmp.resolve("etc-demi"), apt, List.of("amd64"), warnings::add);
        assertThat(machine).extracting(Upstream::name).containsExactly("debian", "debian-security");
        assertThat(warnings).singleElement().asString().contains("cdrom");

        Path own = tmp.resolve("etc-demi");
        Files.createDirectories(own);
        Files.writeString(own.resolve("sources.list"), """
                deb http://127.0.0.1/mirror/debian bookworm main
                deb-src http://127.0.0.1/mirror/debian bookworm main contrib
                deb http://127.0.0.1/mirror/debian bookworm-updates main
                """);
        List<Upstream> ours = Upstreams.load(own, apt, List.of("amd64"), warnings::add);
        assertThat(ours).hasSize(1);
        Upstream u = ours.get(0);
        assertThat(u.name()).isEqualTo("debian");
        assertThat(u.suites()).extracting(SuiteSpec::suite).containsExactly("bookworm", "bookworm-updates");
        assertThat(u.suite("bookworm").components()).containsExactly("main", "contrib");
        assertThat(u.suite("bookworm").sources()).isTrue();
        assertThat(u.suite("bookworm-updates").sources()).isFalse();
    }
}
