package org.demi.deb.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.demi.deb.DebFormatException;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;

/** A file of a real binary package, read as dpkg-deb reads it. */
class DebFileTest {
    static final Path DISTRO_INFO = Fixtures.path("archive/bookworm/pool/main/d/distro-info-data/distro-info-data_0.58+deb12u7_all.deb");

    @Test
    void aFileOfTheDataTarIsWhatDpkgDebExtracts() throws Exception {
        String dpkgDeb = Fixtures.run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile '" + DISTRO_INFO
                + "' | tar -xO ./usr/share/distro-info/debian.csv"), null);
        byte[] ours = DebFile.dataFile(DISTRO_INFO, "./usr/share/distro-info/debian.csv", 1 << 20).orElseThrow();
        assertThat(new String(ours, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(dpkgDeb);
        assertThat(DebFile.dataFile(DISTRO_INFO, "/usr/share/distro-info/debian.csv", 1 << 20)).isPresent();
        assertThat(DebFile.dataFile(DISTRO_INFO, "./usr/share/nothing-here", 1 << 20)).isEmpty();
        assertThatThrownBy(() -> DebFile.dataFile(DISTRO_INFO, "./usr/share/distro-info/debian.csv", 10))
                .isInstanceOf(DebFormatException.class).hasMessageContaining("more than 10");
    }

    @Test
    void aFileThatIsNoPackageIsSaidSo() {
        assertThatThrownBy(() -> DebFile.dataFile(Fixtures.path("hosts/bookworm-minbase/status"), "./x", 100))
                .isInstanceOf(DebFormatException.class).hasMessageContaining("not a binary package");
    }
}
