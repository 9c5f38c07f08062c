package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host side of a delivery, {@code demi-client receive} under dash as an ordinary user: the
 * host says what it holds, takes a tar archive with a MANIFEST and only the files it lacks, and
 * puts the new tree in place with one rename. Every bad delivery (a file that does not match,
 * a name outside the tree, a link, a file neither sent nor held, a file the MANIFEST does not
 * list, a cut archive) leaves the tree in force as it was.
 */
class ReceiveTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    Run receive(byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("dash", Path.of("../client/demi-client").toAbsolutePath().toString(), "receive");
        pb.environment().put("DEMI_CLIENT_HOME", tmp.resolve("home").toString());
        pb.environment().put("DEMI_CLIENT_REPO", tmp.resolve("home/repo").toString());
        pb.redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(tmp.resolve("err")));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A delivery: the MANIFEST of {@code tree}, and the files of it named in {@code sent}. */
    static byte[] delivery(Map<String, byte[]> tree, List<String> sent) throws Exception {
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, byte[]> f : tree.entrySet()) {
            manifest.append(sha256(f.getValue())).append(' ').append(f.getValue().length).append(' ').append(f.getKey()).append('\n');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            add(tar, "MANIFEST", manifest.toString().getBytes(StandardCharsets.UTF_8));
            for (String name : sent) {
                add(tar, name, tree.get(name));
            }
        }
        return out.toByteArray();
    }

    static void add(TarArchiveOutputStream tar, String name, byte[] content) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static Map<String, byte[]> tree(String... nameAndContent) {
        Map<String, byte[]> t = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            t.put(nameAndContent[i], nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return t;
    }

    Path repo() {
        return tmp.resolve("home/repo");
    }

    @Test
    void aDeliveryIsPutInPlaceWholeAndTheNextOneSendsOnlyWhatIsNew() throws Exception {
        Map<String, byte[]> first = tree("debian/dists/bookworm/InRelease", "release one",
                "debian/pool/main/o/openssl/libssl3_3.0.22_amd64.deb", "a deb");
        Run r = receive(delivery(first, List.copyOf(first.keySet())));
        assertThat(r.code()).as(r.err()).isZero();
        // Nothing held yet: the host's answer is an empty manifest.
        assertThat(r.out()).startsWith("Demi-Receive: 1\n.\n").contains("received 2 files");
        assertThat(Files.isSymbolicLink(repo())).isTrue();
        assertThat(repo().resolve("debian/dists/bookworm/InRelease")).hasContent("release one");

        // The second: a new InRelease, the same .deb (not sent, taken from the tree in force).
        Map<String, byte[]> second = tree("debian/dists/bookworm/InRelease", "release two",
                "debian/pool/main/o/openssl/libssl3_3.0.22_amd64.deb", "a deb");
        r = receive(delivery(second, List.of("debian/dists/bookworm/InRelease")));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(sha256("a deb".getBytes(StandardCharsets.UTF_8)) + " 5 debian/pool/main/o/openssl/libssl3_3.0.22_amd64.deb");
        assertThat(repo().resolve("debian/dists/bookworm/InRelease")).hasContent("release two");
        assertThat(repo().resolve("debian/pool/main/o/openssl/libssl3_3.0.22_amd64.deb")).hasContent("a deb");
        // The same bytes under a second name (apt's by-hash path) are sent once.
        Map<String, byte[]> third = tree("debian/dists/bookworm/main/binary-amd64/Packages.xz", "index",
                "debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/" + sha256("index".getBytes(StandardCharsets.UTF_8)), "index");
        r = receive(delivery(third, List.of("debian/dists/bookworm/main/binary-amd64/Packages.xz")));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(repo().resolve("debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/"
                + sha256("index".getBytes(StandardCharsets.UTF_8)))).hasContent("index");
        // One tree left: the one in force.
        try (var trees = Files.list(tmp.resolve("home/trees"))) {
            assertThat(trees.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(1);
        }
    }

    @Test
    void everyBadDeliveryLeavesTheTreeInForce() throws Exception {
        Map<String, byte[]> good = tree("debian/dists/bookworm/InRelease", "release one");
        assertThat(receive(delivery(good, List.copyOf(good.keySet()))).code()).isZero();
        Path target = Files.readSymbolicLink(repo());

        // A file whose bytes are not what the MANIFEST says (one byte flipped on the way).
        byte[] flipped = delivery(tree("debian/dists/bookworm/InRelease", "release two"), List.of("debian/dists/bookworm/InRelease"));
        String text = new String(flipped, StandardCharsets.ISO_8859_1).replace("release two", "releasf two");
        assertRefused(text.getBytes(StandardCharsets.ISO_8859_1), "SHA256 does not match", target);

        // Names outside the tree, and a link.
        assertRefused(delivery(tree("../escape", "x"), List.of("../escape")), "a name a repository does not hold", target);
        assertRefused(delivery(tree("debian/.hidden", "x"), List.of("debian/.hidden")), "a name a repository does not hold", target);
        ByteArrayOutputStream linked = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(linked)) {
            add(tar, "MANIFEST", "".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("debian/passwd", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertRefused(linked.toByteArray(), "not a file nor a directory", target);

        // Listed but neither sent nor held; sent but not listed; cut short.
        assertRefused(delivery(tree("debian/pool/x.deb", "x"), List.of()), "was not sent and is not held", target);
        Map<String, byte[]> two = tree("debian/a", "a", "debian/b", "b");
        byte[] extra = delivery(two, List.of("debian/a", "debian/b"));
        ByteArrayOutputStream sneaky = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sneaky)) {
            add(tar, "MANIFEST", (sha256("a".getBytes(StandardCharsets.UTF_8)) + " 1 debian/a\n").getBytes(StandardCharsets.UTF_8));
            add(tar, "debian/a", "a".getBytes(StandardCharsets.UTF_8));
            add(tar, "debian/b", "b".getBytes(StandardCharsets.UTF_8));
        }
        assertRefused(sneaky.toByteArray(), "files its MANIFEST does not list", target);
        assertRefused(java.util.Arrays.copyOf(extra, 700), "not a whole tar archive", target);
    }

    private void assertRefused(byte[] delivery, String why, Path inForce) throws Exception {
        Run r = receive(delivery);
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).contains(why);
        assertThat(Files.readSymbolicLink(repo())).isEqualTo(inForce);
        assertThat(repo().resolve("debian/dists/bookworm/InRelease")).hasContent("release one");
        try (var trees = Files.list(tmp.resolve("home/trees"))) {
            assertThat(trees).as("nothing left behind").hasSize(1);
        }
    }

    @Test
    void theForcedCommandPassesReceiveOnAndNothingMore() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("dash", Path.of("../client/demi-inventory").toAbsolutePath().toString());
        pb.environment().put("SSH_ORIGINAL_COMMAND", "receive; rm -rf /");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out).contains("unknown request");
    }
}
