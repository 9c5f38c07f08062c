package org.demi.deb.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionTest {

    /** Vectors in the spirit of dpkg's t-version.c and apt's compareversion tests: A, relation, B. */
    static final String[][] VECTORS = {
            {"1.0~rc1", "<<", "1.0"},
            {"1.0", "=", "1.0-0"},
            {"1:0.1", ">>", "2.0"},
            {"2.2~rc-4", "<<", "2.2-1"},
            {"1.2-5", "<<", "1.2-3-5"},
            {"0:1.0", "=", "1.0"},
            {"1.09", "=", "1.9"},
            {"1.0", "=", "1."},
            {"1.0", "<<", "1.0."},
            {"1.0-0.0", ">>", "1.0"},
            {"1.0~~", "<<", "1.0~~a"},
            {"1.0~~a", "<<", "1.0~"},
            {"1.0~", "<<", "1.0"},
            {"1.0", "<<", "1.0."},
            {"1.0-0.0", ">>", "1.0"},
            {"1.0a", "<<", "1.0+"},
            {"1.0", "<<", "1.0-1"},
            {"1.0", "<<", "1.0.1"},
            {"1.0+dfsg", ">>", "1.0"},
            {"2:1.0", ">>", "1:9.9"},
            {"0.9", "<<", "0.10"},
            {"1-1", "=", "1-01"},
            {"1.001", "=", "1.1"},
            {"7.6p2-4", ">>", "7.6-0"},
            {"1.0.3-3", ">>", "1.0-1"},
            {"1.3", ">>", "1.2.2-2"},
            {"0-pre", "=", "0-pre"},
            {"0-pre", "<<", "0-pree"},
            {"1.1.6r2-2", ">>", "1.1.6r-1"},
            {"2.6b2-1", ">>", "2.6b-2"},
            {"98.1p5-1", "<<", "98.1-pre2-b6-2"},
            {"0.4a6-2", ">>", "0.4-1"},
            {"1:3.0.5-2", "<<", "1:3.0.5.1"},
            {"1:0.4", ">>", "10.3"},
            {"1:1.25-4", "<<", "1:1.25-8"},
            {"9:1.18.36:5.4-20", "<<", "10:0.5.1-22"},
            {"9:1.18.36:5.4-20", "<<", "9:1.18.36:5.5-1"},
            {"1.18.36-0.17.35-18", "<<", "1.18.37-1"},
            {"3.0.11-1~deb12u2", "<<", "3.0.11-1~deb12u3"},
            {"3.0.11-1~deb12u2", "<<", "3.0.11-1"},
            {"2.36.1-8+deb11u1", ">>", "2.36.1-8"},
            {"1.2.3+really1.2.2", ">>", "1.2.3"},
            {"4.19.0-0.bpo.1", "<<", "4.19.0-1"},
            {"1a", "<<", "1+"},
            {"1~", "<<", "1"},
            {"0", "=", "0-0"},
            {"10", ">>", "9"},
            {"1.0-0.1", ">>", "1.0-0"},
    };

    @Test
    void vectorsHoldAndAgreeWithDpkg(@TempDir Path tmp) throws Exception {
        List<String> script = new ArrayList<>();
        for (String[] v : VECTORS) {
            Version a = Version.parse(v[0]);
            Version b = Version.parse(v[2]);
            Relation r = Relation.parse(v[1]);
            assertThat(r.holds(a, b)).as("%s %s %s", v[0], v[1], v[2]).isTrue();
            assertThat(Integer.signum(a.compareTo(b))).as("antisymmetry of %s, %s", v[0], v[2])
                    .isEqualTo(-Integer.signum(b.compareTo(a)));
            script.add("dpkg --compare-versions '" + v[0] + "' " + r.word() + " '" + v[2]
                    + "' || echo 'dpkg disagrees: " + v[0] + " " + v[1] + " " + v[2] + "'");
        }
        Path sh = tmp.resolve("check.sh");
        Files.write(sh, script);
        assertThat(Fixtures.run(List.of("sh", sh.toString()), null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|version string is empty",
            "'   '|version string is empty",
            "1:|nothing after colon in version number",
            ":1.0|epoch in version is empty",
            "a:1.0|epoch in version is empty",
            "-1:1.0|epoch in version is negative",
            "99999999999:1.0|epoch in version is too big",
            "1.0-|revision number is empty",
            "1.0 1|version string has embedded spaces",
            "-1|version number is empty",
            "1:-1|version number is empty",
            "abc|version number does not start with digit",
            "1.0_1|invalid character in version number",
            "1.0-1_2|invalid character in revision number",
            "1.0-1=2|invalid character in revision number",
            "1.0-1:2|epoch in version is not number",
            "1.0é|non-ASCII character in version",
    })
    void invalidVersionsAreRefusedWithDpkgsReason(String text, String reason) {
        assertThatThrownBy(() -> Version.parse(text))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessage("version '" + text + "' has bad syntax: " + reason);
        assertThat(Version.isValid(text)).isFalse();
    }

    /**
     * Random strings over the characters versions are made of (and some they must not hold),
     * each given to dpkg and to Demi: what dpkg accepts silently Demi's strict parse accepts,
     * what dpkg only warns about Demi flags as such and its tolerant parse accepts, and what dpkg
     * refuses Demi refuses with dpkg's own words. Signed epochs ({@code +1:2.0}, {@code -0:1.0},
     * read by dpkg with strtol) were refused before.
     */
    @Test
    void fuzzedVersionsAreAcceptedWarnedAboutAndRefusedAsDpkgDoes(@TempDir Path tmp) throws Exception {
        java.util.Random random = new java.util.Random(20);
        String alphabet = "0123456789012345abcxyzABC.+-~:_ =";
        List<String> versions = new ArrayList<>(List.of("+1:2.0-1", "-0:1.0", "-1:1.0", "+:1", "x:1.0", "1x:1.0", "01:1.0",
                "1.0_1", "1:abc", "1.0-1_2", "+1:abc"));
        for (int i = 0; i < 3000; i++) {
            StringBuilder v = new StringBuilder();
            int n = 1 + random.nextInt(9);
            for (int k = 0; k < n; k++) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = v.toString();
            if (!text.isBlank() && !text.contains("'")) {
                versions.add(text);
            }
        }
        List<String> script = new ArrayList<>(List.of("E=\"$(mktemp)\""));
        for (String v : versions) {
            // One line per version: its exit code, then the first thing dpkg said (its name taken off); one fork each.
            script.add("dpkg --compare-versions -- '" + v + "' eq '" + v + "' 2>\"$E\"; rc=$?; first=; IFS= read -r first < \"$E\";"
                    + " echo \"$rc|${first#dpkg: }\"");
        }
        script.add("rm -f \"$E\"");
        Path sh = tmp.resolve("fuzz.sh");
        Files.write(sh, script);
        List<String> dpkg = Fixtures.run(List.of("sh", sh.toString()), null).lines().toList();
        assertThat(dpkg).hasSize(versions.size());
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            String v = versions.get(i);
            String said = dpkg.get(i);
            String demi;
            try {
                Version.parse(v);
                demi = "0|";
            } catch (InvalidVersionException e) {
                demi = e.dpkgWarnsOnly() ? "0|warning: " + e.getMessage() : "2|error: " + e.getMessage();
                if (e.dpkgWarnsOnly()) {
                    Version.parseTolerant(v); // and then orders it, as dpkg does
                }
            }
            if (!said.equals(demi)) {
                disagreements.add("'" + v + "': dpkg " + said + " / demi " + demi);
            }
        }
        assertThat(disagreements).as("versions where dpkg and Demi disagree").isEmpty();
        assertThat(Version.parse("+1:2.0-1")).hasToString("1:2.0-1");
        assertThat(Version.parse("-0:1.0")).hasToString("1.0");
    }

    @Test
    void tolerantParsingAcceptsWhatDpkgOnlyWarnsAbout() {
        assertThat(Version.parseTolerant("abc").upstreamVersion()).isEqualTo("abc");
        assertThat(Version.parseTolerant("1.0_1-2").debianRevision()).isEqualTo("2");
        assertThatThrownBy(() -> Version.parseTolerant("1.0-")).hasMessageContaining("revision number is empty");
        assertThatThrownBy(() -> Version.parseTolerant("1 0")).hasMessageContaining("embedded spaces");
    }

    @Test
    void partsFollowPolicy() {
        Version v = Version.parse(" 2:1.2-3-4~deb12u1\t");
        assertThat(v.epoch()).isEqualTo(2);
        assertThat(v.upstreamVersion()).isEqualTo("1.2-3");
        assertThat(v.debianRevision()).isEqualTo("4~deb12u1");
        assertThat(v.hasDebianRevision()).isTrue();
        assertThat(v).hasToString("2:1.2-3-4~deb12u1");
        Version colonInUpstream = Version.parse("1:2:3");
        assertThat(colonInUpstream.epoch()).isEqualTo(1);
        assertThat(colonInUpstream.upstreamVersion()).isEqualTo("2:3");
        Version nativ = Version.parse("3.134");
        assertThat(nativ.hasDebianRevision()).isFalse();
        assertThat(nativ.debianRevision()).isEmpty();
    }

    @Test
    void equalityIsDpkgEqualityAndHashesAgree() {
        String[][] equal = {{"1.0", "1.0-0"}, {"0:1.0", "1.0"}, {"1.09", "1.9"}, {"1.0", "1."}, {"1.0", "1.00"},
                {"1-1", "1-01"}, {"a0", "a"}, {"1a00b", "1a0b"}, {"1.0-00", "1.0"}};
        for (String[] pair : equal) {
            Version a = Version.parseTolerant(pair[0]);
            Version b = Version.parseTolerant(pair[1]);
            assertThat(a).as("%s = %s", pair[0], pair[1]).isEqualTo(b);
            assertThat(a.hashCode()).as("hash %s, %s", pair[0], pair[1]).isEqualTo(b.hashCode());
        }
        assertThat(Version.parse("1.0")).isNotEqualTo(Version.parse("1.0.0"));
        // Regression: a canonical hash of 0 once came out as 0, then as 1.
        Version zero = Version.parse("0");
        assertThat(zero.hashCode()).isEqualTo(zero.hashCode()).isEqualTo(Version.parse("0-0").hashCode());
        assertThat(Version.parseTolerant("a0b")).isNotEqualTo(Version.parseTolerant("ab"));
    }

    @Test
    void relationsReadDpkgAndPolicySpellings() {
        assertThat(Relation.parse("lt")).isEqualTo(Relation.EARLIER);
        assertThat(Relation.parse("<<")).isEqualTo(Relation.EARLIER);
        assertThat(Relation.parse(">=")).isEqualTo(Relation.LATER_OR_EQUAL);
        assertThat(Relation.parse("ne")).isEqualTo(Relation.NOT_EQUAL);
        assertThatThrownBy(() -> Relation.parse("<")).isInstanceOf(org.demi.deb.BadInputException.class)
                .hasMessageContaining("unknown relation '<'");
        Version a = Version.parse("1.0");
        Version b = Version.parse("1.1");
        assertThat(a.satisfies(Relation.EARLIER_OR_EQUAL, b)).isTrue();
        assertThat(a.satisfies(Relation.LATER, b)).isFalse();
        assertThat(a.satisfies(Relation.NOT_EQUAL, b)).isTrue();
        assertThat(a.satisfies(Relation.EQUAL, Version.parse("1.0-0"))).isTrue();
    }
}
