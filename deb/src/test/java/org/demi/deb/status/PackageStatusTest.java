package org.demi.deb.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.demi.deb.DebFormatException;
import org.junit.jupiter.api.Test;

/**
 * A status in its usual spelling is looked up; any other spelling dpkg writes or accepts
 * (extra blanks, tabs, capitals) is split and read word by word. Both must give the same.
 */
class PackageStatusTest {

    @Test
    void everyStatusReadsTheSameInItsUsualSpellingAndOtherwise() {
        int n = 0;
        for (PackageStatus.Want w : PackageStatus.Want.values()) {
            for (PackageStatus.ErrorFlag f : PackageStatus.ErrorFlag.values()) {
                for (PackageStatus.State s : PackageStatus.State.values()) {
                    PackageStatus expected = new PackageStatus(w, f, s);
                    String usual = w.name().toLowerCase(Locale.ROOT) + " " + f.name().toLowerCase(Locale.ROOT) + " " + s.word();
                    assertThat(PackageStatus.parse(usual)).isEqualTo(expected);
                    assertThat(PackageStatus.parse(" " + usual.replace(" ", " \t ") + "\n")).isEqualTo(expected);
                    assertThat(PackageStatus.parse(usual.toUpperCase(Locale.ROOT))).isEqualTo(expected);
                    n++;
                }
            }
        }
        assertThat(n).isEqualTo(80);
        assertThat(PackageStatus.parse("install ok installed").isInstalled()).isTrue();
        assertThat(PackageStatus.parse("deinstall ok config-files").isInstalled()).isFalse();
    }

    @Test
    void aStatusThatIsNoneOfThemIsRefusedWithItsWord() {
        assertThatThrownBy(() -> PackageStatus.parse("install ok installed extra"))
                .isInstanceOf(DebFormatException.class).hasMessageContaining("three words");
        assertThatThrownBy(() -> PackageStatus.parse("install ok half-done"))
                .hasMessage("unknown state 'half-done' in Status");
        assertThatThrownBy(() -> PackageStatus.parse("instal ok installed"))
                .hasMessage("unknown selection 'instal' in Status");
        assertThatThrownBy(() -> PackageStatus.parse("install fine installed"))
                .hasMessage("unknown error flag 'fine' in Status");
    }
}
