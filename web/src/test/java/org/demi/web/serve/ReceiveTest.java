package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.demi.mirror.TestArchive;
import org.demi.mirror.pgp.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host side of a delivery, {@code demi-client receive} under dash as an ordinary user: the
 * host says what it holds, takes a tar archive with a MANIFEST and only the files it lacks,
 * has its own apt judge the staged tree against the keyring it trusts, and puts the new tree in
 * place with one rename. Every bad delivery (a file that does not match its MANIFEST line, a
 * name outside the tree, a link, a file neither sent nor held, a file the MANIFEST does not
 * list, a cut archive, and, with a MANIFEST that agrees, a release file or a .deb that is not
 * what the upstream signed) leaves the tree in force as it was.
 */
class ReceiveTest {
    @TempDir
    Path tmp;
    SigningKey key;
    Path keyring;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void upstreamKey() throws Exception {
        key = SigningKey.generate("Demo Upstream <demo@example.org>", Instant.now().minus(Duration.ofDays(1)), null, 2048);
        keyring = tmp.resolve("upstream.gpg");
        Files.write(keyring, key.publicBinary());
    }

    Run receive(byte[] stdin) throws Exception {
        return receive(stdin, Map.of());
    }

    Run receive(byte[] stdin, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("dash", Path.of("../client/demi-client").toAbsolutePath().toString(), "receive");
        pb.environment().put("DEMI_CLIENT_HOME", tmp.resolve("home").toString());
        pb.environment().put("DEMI_CLIENT_REPO", tmp.resolve("home/repo").toString());
        pb.environment().put("DEMI_CLIENT_APT", tmp.resolve("apt").toString());
        pb.environment().put("DEMI_CLIENT_KEYRING", keyring.toString());
        pb.environment().putAll(env);
        pb.redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        String cut = "";
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (java.io.IOException e) {
            // The host stopped reading (past a cap): its exit status and its words say why.
            cut = " (it stopped reading: " + e.getMessage() + ")";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(tmp.resolve("err")) + cut);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /**
     * What the server sends for a delivery: "list" (it wants the host's MANIFEST lines), then an
     * archive of the MANIFEST of {@code tree} and the files of it named in {@code sent}.
     */
    static byte[] delivery(Map<String, byte[]> tree, List<String> sent) throws Exception {
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, byte[]> f : tree.entrySet()) {
            manifest.append(sha256(f.getValue())).append(' ').append(f.getValue().length).append(' ').append(f.getKey()).append('\n');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("list\n".getBytes(StandardCharsets.US_ASCII));
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

    /** An archive signed by {@link #key}, upstream "demo", with one .deb per version given, as a tree. */
    Map<String, byte[]> signed(String... versions) throws Exception {
        Path root = tmp.resolve("up-" + String.join("-", versions));
        TestArchive archive = new TestArchive(root, key);
        for (String v : versions) {
            archive.add(new TestArchive.Deb("demi-hello", v, "demi-hello", ("a deb of demi-hello " + v).getBytes(StandardCharsets.UTF_8)));
        }
        archive.write(Instant.now().minus(Duration.ofMinutes(versions.length)));
        return tree(root);
    }

    /** Every file under {@code root} as "demo/PATH", but apt's by-hash copies, as the server leaves them out. */
    static Map<String, byte[]> tree(Path root) throws Exception {
        Map<String, byte[]> t = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> Files.isRegularFile(f) && !f.toString().contains("/by-hash/")).toList()) {
                t.put("demo/" + root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return t;
    }

    static final String IN_RELEASE = "demo/dists/stable-security/InRelease";
    static final String DEB = "demo/pool/main/d/demi-hello/demi-hello_1.0-1_amd64.deb";

    Path repo() {
        return tmp.resolve("home/repo");
    }

    @Test
    void aDeliveryIsPutInPlaceWholeAndTheNextOneSendsOnlyWhatIsNew() throws Exception {
        Map<String, byte[]> first = signed("1.0-1");
        Run r = receive(delivery(first, List.copyOf(first.keySet())));
        assertThat(r.code()).as(r.err()).isZero();
        // Nothing held yet: the host holds the empty manifest.
        assertThat(r.out()).startsWith("Demi-Receive: 2\nHolds: " + sha256(new byte[0]) + " 0\n.\n")
                .contains("received " + first.size() + " files");
        assertThat(Files.isSymbolicLink(repo())).isTrue();
        assertThat(repo().resolve(IN_RELEASE)).hasBinaryContent(first.get(IN_RELEASE));

        // The second: a new release with a second .deb; the first .deb is not sent but taken
        // from the tree in force, and so is every index file that did not change.
        byte[] firstManifest = Files.readAllBytes(repo().resolve("MANIFEST"));
        Map<String, byte[]> second = signed("1.0-1", "1.1-1");
        List<String> changed = second.keySet().stream()
                .filter(p -> !first.containsKey(p) || !java.util.Arrays.equals(first.get(p), second.get(p))).toList();
        assertThat(changed).doesNotContain(DEB).contains(IN_RELEASE);
        r = receive(delivery(second, changed));
        assertThat(r.code()).as(r.err()).isZero();
        // Asked for them, the host listed the lines of the MANIFEST in force.
        assertThat(r.out()).startsWith("Demi-Receive: 2\nHolds: " + sha256(firstManifest) + " " + first.size() + "\n")
                .contains(sha256(first.get(DEB)) + " " + first.get(DEB).length + " " + DEB + "\n");
        assertThat(repo().resolve(IN_RELEASE)).hasBinaryContent(second.get(IN_RELEASE));
        assertThat(repo().resolve(DEB)).hasBinaryContent(first.get(DEB));
        // One tree left: the one in force.
        try (var trees = Files.list(tmp.resolve("home/trees"))) {
            assertThat(trees.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(1);
        }

        // The same tree again: the host says which MANIFEST it holds, the server that it is the
        // one it would send, and the tree in force stays.
        Path inForce = Files.readSymbolicLink(repo());
        byte[] manifest = Files.readAllBytes(repo().resolve("MANIFEST"));
        r = receive("unchanged\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.out()).startsWith("Demi-Receive: 2\nHolds: " + sha256(manifest) + " " + second.size() + "\n");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("unchanged: the tree in force holds all " + second.size() + " files");
        assertThat(Files.readSymbolicLink(repo())).isEqualTo(inForce);
    }

    /**
     * What apt verified is kept with the tree: a suite whose release and index files are those
     * of the tree in force is not verified again (here apt cannot run without a warning), yet every new
     * pool file must still be one of its verified indices; and a change of the trusted keyring
     * has the same files verified again.
     */
    @Test
    void aSuiteVerifiedOnceIsNotVerifiedAgainButStillJudgesWhatIsNew() throws Exception {
        Map<String, byte[]> both = signed("1.0-1", "1.1-1");
        String newer = "demo/pool/main/d/demi-hello/demi-hello_1.1-1_amd64.deb";
        Map<String, byte[]> older = new TreeMap<>(both);
        older.remove(newer);
        Run r = receive(delivery(older, List.copyOf(older.keySet())));
        assertThat(r.code()).as(r.err()).isZero();

        // An apt that would only warn (it cannot read its configuration): a verification by apt
        // would refuse the delivery with that warning.
        Map<String, String> noApt = Map.of("APT_CONFIG", tmp.resolve("missing/apt.conf").toString());
        r = receive(delivery(both, List.of(newer)), noApt);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(repo().resolve(newer)).hasBinaryContent(both.get(newer));

        // A .deb the verified index does not list is refused all the same.
        Map<String, byte[]> stranger = new TreeMap<>(both);
        String odd = "demo/pool/main/o/odd/odd_1_amd64.deb";
        stranger.put(odd, "not in any index".getBytes(StandardCharsets.UTF_8));
        Path inForce = Files.readSymbolicLink(repo());
        r = receive(delivery(stranger, List.of(odd)), noApt);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(odd + " is not a file of any index apt verified");
        assertThat(Files.readSymbolicLink(repo())).isEqualTo(inForce);

        // Another keyring: the same release file is judged again, and this key did not sign it.
        SigningKey other = SigningKey.generate("Someone Else <else@example.org>", Instant.now().minus(Duration.ofDays(1)), null, 2048);
        Path otherRing = tmp.resolve("other.gpg");
        Files.write(otherRing, other.publicBinary());
        r = receive(delivery(both, List.of()), Map.of("DEMI_CLIENT_KEYRING", otherRing.toString()));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("apt refused the delivery").contains("NO_PUBKEY");
        assertThat(Files.readSymbolicLink(repo())).isEqualTo(inForce);
    }

    @Test
    void everyBadDeliveryLeavesTheTreeInForce() throws Exception {
        Map<String, byte[]> good = signed("1.0-1");
        assertThat(receive(delivery(good, List.copyOf(good.keySet()))).code()).isZero();
        Path target = Files.readSymbolicLink(repo());
        byte[] inRelease = good.get(IN_RELEASE);

        // A file whose bytes are not what the MANIFEST says (one byte flipped on the way).
        Map<String, byte[]> next = signed("1.0-1", "1.1-1");
        byte[] flipped = delivery(next, List.of(IN_RELEASE));
        String text = new String(flipped, StandardCharsets.ISO_8859_1).replace("Suite: stable-security", "Suite: stable-securitz");
        assertRefused(text.getBytes(StandardCharsets.ISO_8859_1), "SHA256 does not match", target, inRelease);

        // The same flip with a MANIFEST that agrees, as a server that was taken over would send
        // it: the host's apt finds Debian's (here the test upstream's) signature broken.
        Map<String, byte[]> forged = new TreeMap<>(next);
        forged.put(IN_RELEASE, new String(next.get(IN_RELEASE), StandardCharsets.ISO_8859_1)
                .replace("Suite: stable-security", "Suite: stable-securitz").getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(delivery(forged, List.copyOf(forged.keySet())), "apt refused the delivery", target, inRelease);
        assertThat(Files.readString(tmp.resolve("err"))).contains("BADSIG");

        // A .deb with one byte flipped, its MANIFEST line agreeing: not the file the signed index lists.
        Map<String, byte[]> badDeb = new TreeMap<>(next);
        byte[] deb = next.get(DEB).clone();
        deb[deb.length / 2] ^= 1;
        badDeb.put(DEB, deb);
        assertRefused(delivery(badDeb, List.copyOf(badDeb.keySet())), DEB + " is not a file of any index apt verified", target, inRelease);

        // A whole archive, well formed and signed, by a key the host does not trust for deliveries.
        SigningKey other = SigningKey.generate("Someone Else <else@example.org>", Instant.now().minus(Duration.ofDays(1)), null, 2048);
        TestArchive stranger = new TestArchive(tmp.resolve("stranger"), other);
        stranger.add(new TestArchive.Deb("demi-hello", "9.9-1", "demi-hello", "not from upstream".getBytes(StandardCharsets.UTF_8)));
        stranger.write(Instant.now());
        Map<String, byte[]> strange = tree(tmp.resolve("stranger"));
        assertRefused(delivery(strange, List.copyOf(strange.keySet())), "apt refused the delivery", target, inRelease);

        // Names outside the tree or outside a repository's dists and pool, and a link.
        Map<String, byte[]> escape = Map.of("../escape", new byte[] {1});
        assertRefused(delivery(escape, List.of("../escape")), "a name a repository does not hold", target, inRelease);
        Map<String, byte[]> hidden = Map.of("demo/.hidden", new byte[] {1});
        assertRefused(delivery(hidden, List.of("demo/.hidden")), "a name a repository does not hold", target, inRelease);
        Map<String, byte[]> loose = new TreeMap<>(good);
        loose.put("demo/run-me.sh", new byte[] {1});
        assertRefused(delivery(loose, List.of("demo/run-me.sh")), "not a repository path", target, inRelease);
        ByteArrayOutputStream linked = new ByteArrayOutputStream();
        linked.write("list\n".getBytes(StandardCharsets.US_ASCII));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(linked)) {
            add(tar, "MANIFEST", "".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("demo/passwd", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertRefused(linked.toByteArray(), "not a file nor a directory", target, inRelease);

        // Listed but neither sent nor held; sent but not listed; cut short.
        Map<String, byte[]> unsent = new TreeMap<>(good);
        unsent.put("demo/pool/main/x/x/x_1_amd64.deb", new byte[] {1});
        assertRefused(delivery(unsent, List.of()), "was not sent and is not held", target, inRelease);
        ByteArrayOutputStream sneaky = new ByteArrayOutputStream();
        sneaky.write("list\n".getBytes(StandardCharsets.US_ASCII));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sneaky)) {
            add(tar, "MANIFEST", (sha256(inRelease) + " " + inRelease.length + " " + IN_RELEASE + "\n").getBytes(StandardCharsets.UTF_8));
            add(tar, IN_RELEASE, inRelease);
            add(tar, "demo/pool/main/b/b.deb", "b".getBytes(StandardCharsets.UTF_8));
        }
        assertRefused(sneaky.toByteArray(), "files its MANIFEST does not list", target, inRelease);
        // A server that answers neither word, or nothing at all.
        assertRefused("send everything\n".getBytes(StandardCharsets.US_ASCII), "neither 'unchanged' nor 'list'", target, inRelease);
        assertRefused(new byte[0], "the server said nothing", target, inRelease);
        byte[] whole = delivery(next, List.copyOf(next.keySet()));
        assertRefused(java.util.Arrays.copyOf(whole, 700), "not a whole tar archive", target, inRelease);
    }

    /** The caps on what a host takes, and a disk that fills up mid-delivery: the tree in force stays. */
    @Test
    void capsAndAFullDiskLeaveTheTreeInForce() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            // A disk of 1 MiB (as root: the suite runs so, and then proves this for real).
            run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "demi-full", home.toString()));
        }
        try {
            Map<String, byte[]> good = signed("1.0-1");
            assertThat(receive(delivery(good, List.copyOf(good.keySet()))).code()).isZero();
            Path inForce = Files.readSymbolicLink(repo());
            byte[] inRelease = good.get(IN_RELEASE);
            Map<String, byte[]> next = signed("1.0-1", "1.1-1");
            byte[] whole = delivery(next, List.copyOf(next.keySet()));
            assertRefused(whole, "larger than 1000 bytes", Map.of("DEMI_CLIENT_MAX_BYTES", "1000"), inForce, inRelease);
            assertRefused(whole, "more than 3 files", Map.of("DEMI_CLIENT_MAX_FILES", "3"), inForce, inRelease);
            if (root) {
                Map<String, byte[]> huge = new TreeMap<>(next);
                huge.put("demo/pool/main/h/huge/huge_1_amd64.deb", new byte[2 << 20]);
                assertRefused(delivery(huge, List.copyOf(huge.keySet())), "(disk full?)", Map.of(), inForce, inRelease);
            }
        } finally {
            if (root) {
                run(List.of("umount", home.toString()));
            }
        }
    }

    static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
    }

    private void assertRefused(byte[] delivery, String why, Path inForce, byte[] inRelease) throws Exception {
        assertRefused(delivery, why, Map.of(), inForce, inRelease);
    }

    private void assertRefused(byte[] delivery, String why, Map<String, String> env, Path inForce, byte[] inRelease) throws Exception {
        Run r = receive(delivery, env);
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).contains(why);
        assertThat(Files.readSymbolicLink(repo())).isEqualTo(inForce);
        assertThat(repo().resolve(IN_RELEASE)).hasBinaryContent(inRelease);
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
