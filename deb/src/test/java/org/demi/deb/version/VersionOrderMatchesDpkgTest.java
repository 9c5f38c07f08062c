package org.demi.deb.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.demi.deb.Fixtures;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demi's order against dpkg's over every distinct version of Debian's bookworm main
 * archive: sorted by Demi, every adjacent pair must compare the same way in
 * {@code dpkg --compare-versions}. Since both are total orders, agreement on adjacent
 * pairs proves agreement on all pairs.
 */
class VersionOrderMatchesDpkgTest {

    @Test
    void everyAdjacentPairOfTheBookwormArchiveAgreesWithDpkg(@TempDir Path tmp) throws Exception {
        Set<String> distinct = new LinkedHashSet<>(versionsOf("archive/bookworm/main/binary-amd64/Packages.xz"));
        assertThat(distinct).hasSize(21_389);

        List<Version> sorted = new ArrayList<>();
        for (String v : distinct) {
            sorted.add(Version.parse(v));
        }
        sorted.sort(Comparator.naturalOrder());

        // Adjacent pairs, checked by dpkg in two parallel shell scripts (about 1 ms a call).
        List<List<String>> scripts = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i + 1 < sorted.size(); i++) {
            Version a = sorted.get(i);
            Version b = sorted.get(i + 1);
            int c = a.compareTo(b);
            assertThat(c).as("sorted order of %s, %s", a, b).isLessThanOrEqualTo(0);
            String op = c == 0 ? "eq" : "lt";
            scripts.get(i % 2).add("dpkg --compare-versions '" + a + "' " + op + " '" + b + "' || echo '" + a + " "
                    + op + " " + b + "'");
        }
        List<Process> running = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Path sh = tmp.resolve("pairs" + k + ".sh");
            Files.write(sh, scripts.get(k));
            running.add(new ProcessBuilder("sh", sh.toString()).redirectErrorStream(true).start());
        }
        StringBuilder disagreements = new StringBuilder();
        for (Process p : running) {
            disagreements.append(new String(p.getInputStream().readAllBytes()));
            assertThat(p.waitFor()).isZero();
        }
        assertThat(disagreements.toString()).as("pairs where dpkg disagrees with Demi").isEmpty();
    }

    @Test
    void randomPairsOfArchiveVersionsAgreeWithDpkg(@TempDir Path tmp) throws Exception {
        List<String> versions = versionsOf("archive/bookworm-security/main/binary-amd64/Packages.xz");
        // Pairs of versions of the same shape but not adjacent, plus mutations around ~ + . and digits.
        Random random = new Random(12);
        List<String> script = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String a = versions.get(random.nextInt(versions.size()));
            String b = i % 2 == 0 ? versions.get(random.nextInt(versions.size())) : mutate(a, random);
            if (!Version.isValid(b)) {
                continue;
            }
            int c = Version.compare(a, b);
            String op = c < 0 ? "lt" : c == 0 ? "eq" : "gt";
            script.add("dpkg --compare-versions '" + a + "' " + op + " '" + b + "' || echo '" + a + " " + op + " "
                    + b + "'");
        }
        Path sh = tmp.resolve("random.sh");
        Files.write(sh, script);
        assertThat(Fixtures.run(List.of("sh", sh.toString()), null)).isEmpty();
    }

    /** The Version field of every stanza of a fixture index, in file order. */
    private static List<String> versionsOf(String fixture) throws java.io.IOException {
        List<String> versions = new ArrayList<>();
        try (ParagraphReader reader = new ParagraphReader(new ByteArrayInputStream(Fixtures.plain(fixture)), fixture)) {
            for (Paragraph p; (p = reader.next()) != null; ) {
                versions.add(p.require("Version"));
            }
        }
        return versions;
    }

    private static String mutate(String v, Random random) {
        String[] inserts = {"~", "+", ".", "0", "9", "a", "~deb12u1", "-1", "+b1", ".0"};
        int at = 1 + random.nextInt(v.length());
        return v.substring(0, at) + inserts[random.nextInt(inserts.length)] + v.substring(at);
    }
}
