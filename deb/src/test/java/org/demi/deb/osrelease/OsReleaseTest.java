package org.demi.deb.osrelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.demi.deb.DebFormatException;
import org.demi.deb.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OsReleaseTest {

    @ParameterizedTest
    @CsvSource({"bookworm-dev,bookworm,12", "bullseye-minbase,bullseye,11", "trixie-minbase,trixie,13"})
    void fixtureHosts(String host, String codename, String versionId) throws Exception {
        OsRelease os = OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/" + host + "/os-release")));
        assertThat(os.id()).isEqualTo("debian");
        assertThat(os.versionCodename()).contains(codename);
        assertThat(os.versionId()).contains(versionId);
        assertThat(os.prettyName()).startsWith("Debian GNU/Linux " + versionId);
        assertThat(os.isDebianLike()).isTrue();
    }

    @Test
    void shellQuotingIsUnderstoodNotExecuted() {
        OsRelease os = OsRelease.parse("# comment\n\nNAME='It''s'\nA=\"x \\\"y\\\" \\$HOME \\\\ \\n\"\nB=plain\\ word\n"
                + "ID_LIKE=\"ubuntu debian\"\nC=\"$(rm -rf /)\"\n");
        assertThat(os.fields()).containsEntry("NAME", "Its").containsEntry("A", "x \"y\" $HOME \\ \\n")
                .containsEntry("B", "plain word").containsEntry("C", "$(rm -rf /)");
        assertThat(os.isDebianLike()).isTrue();
        assertThat(os.id()).isEqualTo("linux");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> OsRelease.parse("ID=debian\nNAME=\"open\n")).isInstanceOf(DebFormatException.class)
                .hasMessage("os-release:2: unterminated double quote");
        assertThatThrownBy(() -> OsRelease.parse("ID=two words\n")).hasMessageContaining("os-release:1: unquoted blank");
        assertThatThrownBy(() -> OsRelease.parse("1D=x\n")).hasMessageContaining("invalid variable name '1D'");
        assertThatThrownBy(() -> OsRelease.parse("just text\n")).hasMessageContaining("expected KEY=value");
        assertThatThrownBy(() -> OsRelease.parse("X=$(reboot)\n")).hasMessageContaining("unquoted shell character '$'");
        assertThatThrownBy(() -> OsRelease.parse(new byte[OsRelease.MAX_BYTES + 1])).hasMessageContaining("larger than");
    }
}
