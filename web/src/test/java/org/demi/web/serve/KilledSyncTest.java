package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.demi.mirror.TestArchive;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.store.FileEntry;
import org.demi.mirror.store.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code demi mirror sync} at random moments, and two syncs racing on one
 * data directory: whatever was published stays whole (every file its snapshot lists is there
 * with its verified content), and the next sync completes.
 */
class KilledSyncTest {
    static final Instant START = Instant.now().minus(Duration.ofHours(2));

    @TempDir
    Path tmp;

    /** An upstream with a key of its own, and the configuration that mirrors all of its pool. */
    private TestArchive upstream() throws IOException {
        SigningKey key = SigningKey.generate("Test Upstream <up@example.org>", START.minus(Duration.ofDays(1)), null, 2048);
        Files.write(tmp.resolve("up.gpg"), key.publicBinary());
        TestArchive a = new TestArchive(tmp.resolve("up"), key);
        Files.createDirectories(tmp.resolve("config"));
        Files.writeString(tmp.resolve("config/sources.list"), "deb [signed-by=" + tmp.resolve("up.gpg") + " pool=all] "
                + tmp.resolve("up").toUri() + " " + a.suite + " main\n");
        return a;
    }

    @Test
    void killingTheSyncAtRandomMomentsNeverLeavesAHalfPublishedTree() throws Exception {
        TestArchive a = upstream();
        Random random = new Random(42);
        Path config = tmp.resolve("config");
        Path data = tmp.resolve("data");
        int round = 0;
        int killedMidway = 0;
        for (; round < 8; round++) {
            for (int i = 0; i < 150; i++) {
                byte[] content = new byte[8192 + random.nextInt(32768)];
                random.nextBytes(content);
                a.add(new TestArchive.Deb("p" + round + "x" + i, "1." + round, "p" + round + "x" + i, content));
            }
            a.write(START.plus(Duration.ofMinutes(round)));
            Process p = sync(config, data);
            Thread.sleep(300 + random.nextInt(1500));
            if (p.isAlive()) {
                killedMidway++;
            }
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            assertPublishedTreeIsWhole(data);
        }
        assertThat(killedMidway).as("syncs killed while running").isGreaterThan(2);

        Process last = sync(config, data);
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(new String(last.getInputStream().readAllBytes())).isZero();
        assertPublishedTreeIsWhole(data);
        assertThat(data.resolve("published/up/pool/main/p/p7x149/p7x149_1.7_amd64.deb")).exists();
    }

    /**
     * Two {@code demi mirror sync} processes started together, round after round, each round
     * with a new upstream Release: before the sync lock, some rounds published a snapshot with
     * no dists/ (apt then fails for every host) and the next sync called it "unchanged". Now
     * one of the two waits for nothing: it is refused at once naming the holder's PID, and the
     * tree is whole after every round.
     */
    @Test
    void twoSyncsAtOnceNeverPublishABrokenTree() throws Exception {
        TestArchive a = upstream();
        Random random = new Random(7);
        Path config = tmp.resolve("config");
        Path data = tmp.resolve("data");
        int refused = 0;
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 60; i++) {
                byte[] content = new byte[4096 + random.nextInt(8192)];
                random.nextBytes(content);
                a.add(new TestArchive.Deb("r" + round + "x" + i, "1." + round, "r" + round + "x" + i, content));
            }
            a.write(START.plus(Duration.ofMinutes(round)));
            Process one = sync(config, data, "one.log");
            Process two = sync(config, data, "two.log");
            assertThat(one.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(two.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String logOne = Files.readString(tmp.resolve("one.log"));
            String logTwo = Files.readString(tmp.resolve("two.log"));
            assertThat(one.exitValue() == 0 || two.exitValue() == 0).as(logOne + logTwo).isTrue();
            for (Process p : List.of(one, two)) {
                if (p.exitValue() != 0) {
                    String log = p == one ? logOne : logTwo;
                    Process other = p == one ? two : one;
                    assertThat(log).contains("another mirror sync is running").contains("pid " + other.pid());
                    refused++;
                }
            }
            assertPublishedTreeIsWhole(data);
            assertThat(data.resolve("published/up/dists/" + a.suite + "/InRelease")).isRegularFile();
            assertThat(data.resolve("published/up/pool/main/r/r" + round + "x0/r" + round + "x0_1." + round + "_amd64.deb")).exists();
        }
        assertThat(refused).as("syncs that met a running one").isPositive();
    }

    private Process sync(Path config, Path data) throws IOException {
        return sync(config, data, "sync.log");
    }

    private Process sync(Path config, Path data, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.demi.web.cli.Demi",
                "--config", config.toString(), "--data", data.toString(), "mirror", "sync"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    private static void assertPublishedTreeIsWhole(Path data) throws IOException {
        Path link = data.resolve("published/up");
        if (!Files.exists(link)) {
            return;
        }
        Path snapshot = link.toRealPath().getParent();
        List<String> lines = Files.readAllLines(snapshot.resolve("files"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            FileEntry f = FileEntry.parse(line);
            Path p = link.resolve(f.path());
            assertThat(p).as(f.path()).isRegularFile();
            assertThat(Files.size(p)).as(f.path()).isEqualTo(f.size());
            if (f.size() < 20000) {
                assertThat(Pool.sha256(Files.readAllBytes(p))).as(f.path()).isEqualTo(f.sha256());
            }
        }
    }
}
