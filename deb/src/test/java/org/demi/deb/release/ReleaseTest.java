package org.demi.deb.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.demi.deb.DebFormatException;
import org.demi.deb.Fixtures;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.paragraph.ParagraphReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseTest {

    static Release read(byte[] bytes) throws IOException {
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(bytes), "Release")) {
            return Release.of(r.next());
        }
    }

    @Test
    void bookwormSecurityFields() throws IOException {
        Release r = read(Files.readAllBytes(Fixtures.path("archive/bookworm-security/Release")));
        assertThat(r.origin()).isEqualTo("Debian");
        assertThat(r.label()).isEqualTo("Debian-Security");
        assertThat(r.suite()).isEqualTo("oldstable-security");
        assertThat(r.codename()).isEqualTo("bookworm-security");
        assertThat(r.version()).isEqualTo("12");
        assertThat(r.date()).contains(Instant.parse("2026-11-21T00:53:02Z"));
        assertThat(r.validUntil()).contains(Instant.parse("2026-11-28T00:53:02Z"));
        assertThat(r.acquireByHash()).isTrue();
        assertThat(r.architectures()).containsExactly("amd64", "arm64", "armhf", "i386", "ppc64el");
        assertThat(r.components()).contains("updates/main");
        assertThat(r.files()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bookworm-security", "bullseye-security", "trixie-security"})
    void signedSumsMatchTheFixtureIndices(String suite) throws Exception {
        Release r = read(Files.readAllBytes(Fixtures.path("archive/" + suite + "/Release")));
        for (String index : new String[]{"main/binary-amd64/Packages.xz", "main/source/Sources.xz",
                "main/binary-amd64/Release"}) {
            ReleaseFile listed = r.file(index).orElseThrow(); // listed without the "updates/" of Components
            byte[] actual = Files.readAllBytes(Fixtures.path("archive/" + suite + "/" + index));
            assertThat(actual.length).as(index).isEqualTo(listed.size());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(actual)))
                    .as(index).isEqualTo(listed.sha256());
        }
    }

    @Test
    void componentReleaseUsesArchiveAndComponent() throws IOException {
        Release r = read(Files.readAllBytes(Fixtures.path("archive/bookworm-security/main/binary-amd64/Release")));
        assertThat(r.suite()).isEqualTo("oldstable-security");
        assertThat(r.components()).containsExactly("updates/main");
        assertThat(r.architectures()).containsExactly("amd64");
        assertThat(r.date()).isEmpty();
    }

    @Test
    void datesInEveryFormAptAccepts() {
        Instant expected = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(ReleaseDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(expected);
        assertThat(ReleaseDate.parse("Sun, 06 Nov 1994 08:49:37 UTC")).isEqualTo(expected);
        assertThat(ReleaseDate.parse("Sun, 6 Nov 1994 08:49:37 +0000")).isEqualTo(expected);
        assertThat(ReleaseDate.parse("Sun, 06 Nov 1994 08:49:37 Z")).isEqualTo(expected);
        assertThat(ReleaseDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(expected);
        assertThat(ReleaseDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(expected);
        assertThat(ReleaseDate.format(expected)).isEqualTo("Sun, 06 Nov 1994 08:49:37 UTC");
    }

    @Test
    void datesAptRefusesAreRefused() {
        assertThatThrownBy(() -> ReleaseDate.parse("Sun, 06 Nov 1994 08:49:37 +0100"))
                .isInstanceOf(DebFormatException.class).hasMessageContaining("time zone '+0100' is not UTC");
        assertThatThrownBy(() -> ReleaseDate.parse("Sun, 06 Nov 1994 08:49:37 CET"))
                .hasMessageContaining("time zone 'CET'");
        assertThatThrownBy(() -> ReleaseDate.parse("1994-11-06T08:49:37Z")).isInstanceOf(DebFormatException.class);
        assertThatThrownBy(() -> ReleaseDate.parse("Sun, 31 Feb 1994 08:49:37 UTC"))
                .isInstanceOf(DebFormatException.class).hasMessageContaining("invalid date");
        assertThatThrownBy(() -> ReleaseDate.parse("Sun, 06 Foo 1994 08:49:37 UTC"))
                .hasMessageContaining("unknown month 'Foo'");
    }

    @Test
    void badChecksumLinesNameTheLine() {
        String text = "Suite: x\nDate: Sun, 06 Nov 1994 08:49:37 UTC\nSHA256:\n "
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 main/ok\n "
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 ../../etc/passwd\n";
        assertThatThrownBy(() -> read(text.getBytes()))
                .isInstanceOf(ParagraphException.class)
                .hasMessage("Release:5: SHA256: unsafe path '../../etc/passwd'");
        String badDate = "Suite: x\nValid-Until: tomorrow\n";
        assertThatThrownBy(() -> read(badDate.getBytes())).hasMessageStartingWith("Release:2: Valid-Until: invalid date");
        Paragraph p = Paragraph.builder().add("Suite", "x").add("SHA256", "\n zz 1 a").build();
        assertThatThrownBy(() -> Release.of(p)).hasMessageContaining("'zz' is not a SHA256");
    }
}
