package org.demi.deb.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.junit.jupiter.api.Test;

class StatusEntryTest {

    static StatusEntry entry(String status, String version, String source) {
        var b = Paragraph.builder().add("Package", "libfoo1").add("Status", status).add("Architecture", "amd64");
        if (version != null) {
            b.add("Version", version);
        }
        if (source != null) {
            b.add("Source", source);
        }
        return StatusEntry.of(b.build());
    }

    @Test
    void heldAndHalfConfiguredPackagesAreInstalledConfigFilesAreNot() {
        assertThat(entry("hold ok installed", "1.0", null).isInstalled()).isTrue();
        assertThat(entry("install reinstreq half-configured", "1.0", null).isInstalled()).isTrue();
        assertThat(entry("install ok triggers-pending", "1.0", null).isInstalled()).isTrue();
        assertThat(entry("install ok unpacked", "1.0", null).isInstalled()).isTrue();
        assertThat(entry("deinstall ok config-files", "1.0", null).isInstalled()).isFalse();
        assertThat(entry("purge ok not-installed", null, null).isInstalled()).isFalse();
    }

    @Test
    void sourceFieldGivesNameAndVersionDefaultingToTheBinarys() {
        StatusEntry plain = entry("install ok installed", "1:2.0-1", null);
        assertThat(plain.source().name()).isEqualTo("libfoo1");
        assertThat(plain.source().version()).hasToString("1:2.0-1");
        StatusEntry named = entry("install ok installed", "2.0-1+b1", "foo");
        assertThat(named.source().name()).isEqualTo("foo");
        assertThat(named.source().version()).hasToString("2.0-1+b1");
        StatusEntry versioned = entry("install ok installed", "2.0-1+b1", "foo (2.0-1)");
        assertThat(versioned.source().version()).hasToString("2.0-1");
    }

    @Test
    void badEntriesNameFieldAndLine() {
        assertThatThrownBy(() -> entry("install ok", "1.0", null))
                .isInstanceOf(ParagraphException.class)
                .hasMessage("(built):2: Status: Status must be three words (want, flag, state), found 'install ok'");
        assertThatThrownBy(() -> entry("install ok sideways", "1.0", null))
                .hasMessageContaining("unknown state 'sideways'");
        assertThatThrownBy(() -> entry("install ok installed", null, null))
                .hasMessageContaining("an installed package must have a version");
        assertThatThrownBy(() -> entry("install ok installed", "1.0-", null))
                .hasMessageContaining("Version: version '1.0-' has bad syntax: revision number is empty");
        assertThatThrownBy(() -> entry("install ok installed", "1.0", "foo (1.0"))
                .hasMessageContaining("expected 'name (version)'");
        assertThatThrownBy(() -> StatusEntry.of(Paragraph.builder().add("Package", "Bad_Name")
                .add("Status", "install ok installed").add("Version", "1").build()))
                .hasMessageContaining("invalid package name 'Bad_Name'");
    }

    @Test
    void oddVersionsThatDpkgOnlyWarnsAboutDoNotBreakAHost() {
        assertThat(entry("install ok installed", "v2.0_beta", null).version()).hasToString("v2.0_beta");
    }
}
