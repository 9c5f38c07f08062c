package org.demi.deb.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;

/** The sort key orders exactly as dpkg's comparison, and equal versions share one key. */
class SortKeyTest {
    static int keyCompare(Version a, Version b) {
        return Integer.signum(Arrays.compareUnsigned(a.sortKey(), b.sortKey()));
    }

    static List<String> archiveVersions() throws Exception {
        Set<String> out = new LinkedHashSet<>();
        for (String line : new String(Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz"), StandardCharsets.UTF_8)
                .split("\n")) {
            if (line.startsWith("Version: ")) {
                out.add(line.substring(9));
            }
        }
        return new ArrayList<>(out);
    }

    @Test
    void keysOrderAsDpkgOnTheArchiveAndOnTrickyVersions() throws Exception {
        List<String> texts = archiveVersions();
        texts.addAll(List.of("1.0~rc1", "1.0", "1.0-0", "1:0.1", "2.0", "2.2~rc-4", "2.2-1", "1.2-5", "1.2-3-5", "0:1.0",
                "1.09", "1.9", "1.", "1.0~", "1.0~~", "1.0~~a", "1.0a", "1.0.0", "1.0+", "1~", "1", "0", "0~", "1a", "1A",
                "1-1~", "1-1", "1-1.0", "1-1+b1", "9999999999999999999999", "10000000000000000000000", "1:1:1", "1.0-a~b",
                "2:1", "10:0", "1.2.3-4.5~deb12u1", "1.2.3-4.5", "1.2.3-4.5+deb12u1", "1" + "0".repeat(300),
                "1" + "0".repeat(299) + "1", "00000000000000000000000000001"));
        List<Version> vs = texts.stream().map(Version::parseTolerant).toList();
        Random random = new Random(7);
        for (int n = 0; n < 300_000; n++) {
            Version a = vs.get(random.nextInt(vs.size()));
            Version b = n % 3 == 0 ? vs.get(Math.min(vs.size() - 1, vs.indexOf(a) + 1)) : vs.get(random.nextInt(vs.size()));
            assertThat(keyCompare(a, b)).as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareDirect(b)));
        }
        // Every tricky one against every other.
        List<Version> tricky = vs.subList(vs.size() - 41, vs.size());
        for (Version a : tricky) {
            for (Version b : tricky) {
                assertThat(keyCompare(a, b)).as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareDirect(b)));
            }
        }
    }

    @Test
    void equalVersionsHaveEqualKeys() {
        String[][] equal = {{"1.09", "1.9"}, {"1.0", "1.0-0"}, {"0:1.0", "1.0"}, {"1.0", "1."}, {"1-0", "1"},
                {"007", "7"}, {"1.0-00", "1.0"}, {"1" + "0".repeat(300), "01" + "0".repeat(300)}};
        for (String[] pair : equal) {
            assertThat(Version.parse(pair[0]).sortKey()).as(pair[0] + " = " + pair[1]).isEqualTo(Version.parse(pair[1]).sortKey());
            assertThat(Version.parse(pair[0])).isEqualTo(Version.parse(pair[1]));
        }
        assertThat(Version.parse("1.0~").sortKey()).isNotEqualTo(Version.parse("1.0").sortKey());
        // The key is a copy: changing it changes nothing.
        Version v = Version.parse("2.0");
        byte[] k = v.sortKey();
        k[4] = 0;
        assertThat(v.sortKey()).isNotEqualTo(k);
    }
}
