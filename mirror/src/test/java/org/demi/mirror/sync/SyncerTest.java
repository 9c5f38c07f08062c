package org.demi.mirror.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.demi.deb.Fixtures;
import org.demi.mirror.TestArchive;
import org.demi.mirror.fetch.DirectoryFetcher;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.fetch.ProxySettings;
import org.demi.mirror.fetch.TransferLimits;
import org.demi.mirror.pgp.Keyring;
import org.demi.mirror.pgp.SignatureVerifier;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.source.KeyringResolver;
import org.demi.mirror.source.PoolPolicy;
import org.demi.mirror.source.PublishMode;
import org.demi.mirror.source.SignedBy;
import org.demi.mirror.source.SuiteSpec;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.Pool;
import org.demi.mirror.store.PackagesIndex;
import org.demi.mirror.store.PublishedSuite;
import org.demi.mirror.store.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncerTest {
    static final Instant CAPTURE = Instant.parse("2026-11-24T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-20T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-21T10:00:00Z");
    static SigningKey upstreamKey;
    static SigningKey serverKey;

    @TempDir
    Path tmp;

    @BeforeAll
    static void keys() {
        upstreamKey = SigningKey.generate("Test Upstream <up@example.org>", T1.minus(Duration.ofDays(10)), null, 2048);
        serverKey = SigningKey.generate("Test Server <demi@example.org>", T1.minus(Duration.ofDays(10)), null, 2048);
    }

    static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    Syncer syncer(MirrorStore store, Clock clock, Path keyring) {
        return new Syncer(store, new KeyringResolver(List.of(keyring)), clock, ReleaseGuard.DEFAULT, serverKey, 2, TransferLimits.DEFAULT);
    }

    Path upstreamKeyring() throws IOException {
        Path k = tmp.resolve("upstream.gpg");
        if (!Files.exists(k)) {
            Files.write(k, upstreamKey.publicBinary());
        }
        return k;
    }

    static Upstream upstream(String suite, PoolPolicy pool, PublishMode publish, boolean sources) {
        return new Upstream("test", URI.create("http://127.0.0.1/test/"),
                List.of(new SuiteSpec(suite, List.of("main"), List.of("amd64"), true, sources, SignedBy.DEFAULT)), pool, publish);
    }

    TestArchive archive() {
        return new TestArchive(tmp.resolve("upstream"), upstreamKey)
                .add(new TestArchive.Deb("hello", "1.0-1", "hello", "hello deb".getBytes(StandardCharsets.UTF_8)))
                .add(new TestArchive.Deb("libhello1", "1:1.0-1", "hello", "lib deb".getBytes(StandardCharsets.UTF_8)));
    }

    /** A copy of the fixture's bookworm-security release and indices laid out as an archive. */
    Path debianCopy() throws IOException {
        Path root = tmp.resolve("debian-security");
        Path dist = root.resolve("dists/bookworm-security");
        Files.createDirectories(dist.resolve("main/binary-amd64"));
        Files.createDirectories(dist.resolve("main/source"));
        Files.copy(Fixtures.path("archive/bookworm-security/InRelease"), dist.resolve("InRelease"));
        Files.copy(Fixtures.path("archive/bookworm-security/main/binary-amd64/Packages.xz"),
                dist.resolve("main/binary-amd64/Packages.xz"));
        Files.copy(Fixtures.path("archive/bookworm-security/main/source/Sources.xz"), dist.resolve("main/source/Sources.xz"));
        Files.copy(Fixtures.path("archive/bookworm-security/main/binary-amd64/Release"), dist.resolve("main/binary-amd64/Release"));
        return root;
    }

    @Test
    void debiansRealSecuritySuiteSyncsFromACopyOnDiskAndIsPublishedVerbatim() throws IOException {
        Path copy = debianCopy();
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(CAPTURE));
        Syncer s = syncer(store, at(CAPTURE), Fixtures.path("keyrings/debian-archive-keyring.gpg"));
        Upstream up = new Upstream("debian-security", copy.toUri(),
                List.of(new SuiteSpec("bookworm-security", List.of("main"), List.of("amd64"), true, true, SignedBy.DEFAULT)),
                PoolPolicy.ON_DEMAND, PublishMode.VERBATIM);
        Syncer.Report r = s.sync(up, new DirectoryFetcher(copy), Progress.SILENT);

        assertThat(r.ok()).as(r.toString()).isTrue();
        SuiteStatus st = r.suites().get(0);
        assertThat(st.outcome()).isEqualTo(SyncOutcome.UPDATED);
        assertThat(st.date()).isEqualTo(Instant.parse("2026-11-21T00:53:02Z"));
        assertThat(st.signers()).hasSize(2);
        Path published = store.publishedDir().resolve("debian-security");
        assertThat(Files.readAllBytes(published.resolve("dists/bookworm-security/InRelease")))
                .isEqualTo(Files.readAllBytes(Fixtures.path("archive/bookworm-security/InRelease")));
        byte[] packages = Files.readAllBytes(published.resolve("dists/bookworm-security/main/binary-amd64/Packages.xz"));
        assertThat(packages).isEqualTo(Files.readAllBytes(Fixtures.path("archive/bookworm-security/main/binary-amd64/Packages.xz")));
        assertThat(published.resolve("dists/bookworm-security/main/binary-amd64/by-hash/SHA256/" + Pool.sha256(packages))).exists();
        // Every .deb the verified Packages names, and every source file, is known for on-demand fetching.
        long debs = new String(Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz"), StandardCharsets.UTF_8)
                .lines().filter(l -> l.startsWith("Filename: ")).count();
        assertThat(st.poolFiles()).isGreaterThan((int) debs);
        Snapshot snap = store.published("debian-security").orElseThrow();
        assertThat(snap.poolFile(new String(Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz"),
                StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Filename: ")).findFirst().orElseThrow()
                .substring("Filename: ".length()))).isPresent();

        // The same again: nothing changed, no new snapshot.
        Syncer.Report again = s.sync(up, new DirectoryFetcher(copy), Progress.SILENT);
        assertThat(again.published()).isEmpty();
        assertThat(again.suites().get(0).outcome()).isEqualTo(SyncOutcome.UNCHANGED);
        assertThat(store.published("debian-security").orElseThrow().id()).isEqualTo(snap.id());

        // What the rest of Demi sees of it: a typed suite, read from the signed text and the verified index.
        List<PublishedSuite> suites = store.publishedSuites();
        assertThat(suites).hasSize(1);
        PublishedSuite suite = suites.get(0);
        assertThat(suite.upstream()).isEqualTo("debian-security");
        assertThat(suite.codename()).isEqualTo("bookworm-security");
        assertThat(suite.family()).isEqualTo("bookworm");
        assertThat(suite.security()).isTrue();
        assertThat(suite.notAutomatic()).isFalse();
        assertThat(suite.release().date()).hasValue(Instant.parse("2026-11-21T00:53:02Z"));
        assertThat(suite.signers()).isEqualTo(st.signers());
        assertThat(suite.packages()).extracting(PackagesIndex::component, PackagesIndex::architecture)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("main", "amd64"));
        try (java.io.InputStream in = suite.packages().get(0).open()) {
            assertThat(in.readAllBytes()).isEqualTo(Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz"));
        }
    }

    @Test
    void aPassedValidUntilIsRefusedAsAFreeze() throws IOException {
        Path copy = debianCopy();
        Instant later = Instant.parse("2026-11-29T00:00:00Z");
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(later));
        Upstream up = new Upstream("debian-security", copy.toUri(),
                List.of(new SuiteSpec("bookworm-security", List.of("main"), List.of("amd64"), true, false, SignedBy.DEFAULT)),
                PoolPolicy.NONE, PublishMode.VERBATIM);
        Syncer.Report r = syncer(store, at(later), Fixtures.path("keyrings/debian-archive-keyring.gpg"))
                .sync(up, new DirectoryFetcher(copy), Progress.SILENT);
        assertThat(r.ok()).isFalse();
        assertThat(r.suites().get(0).error()).contains("Valid-Until").contains("dists/bookworm-security/InRelease");
        assertThat(store.published("debian-security")).isEmpty();
    }

    @Test
    void aFlippedByteInAnIndexRejectsTheUpdateNamingFileAndCheck() throws IOException {
        Path copy = debianCopy();
        Path xz = copy.resolve("dists/bookworm-security/main/binary-amd64/Packages.xz");
        byte[] b = Files.readAllBytes(xz);
        b[b.length / 2] ^= 0x10;
        Files.write(xz, b);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(CAPTURE));
        Upstream up = new Upstream("debian-security", copy.toUri(),
                List.of(new SuiteSpec("bookworm-security", List.of("main"), List.of("amd64"), true, false, SignedBy.DEFAULT)),
                PoolPolicy.NONE, PublishMode.VERBATIM);
        Syncer.Report r = syncer(store, at(CAPTURE), Fixtures.path("keyrings/debian-archive-keyring.gpg"))
                .sync(up, new DirectoryFetcher(copy), Progress.SILENT);
        assertThat(r.suites().get(0).error())
                .isEqualTo(r.suites().get(0).error())
                .contains("dists/bookworm-security/main/binary-amd64/Packages.xz: SHA256 failed");
        assertThat(store.published("debian-security")).isEmpty();
        assertThat(new MirrorState(store.stateDir()).status("debian-security").get(0).error()).contains("SHA256 failed");
    }

    @Test
    void aFailedUpdateKeepsThePreviousSnapshotPublishedAndTheNextGoodOneLands() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer s = syncer(store, at(T2), upstreamKeyring());
        Upstream up = upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false);
        assertThat(s.sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
        String first = store.published("test").orElseThrow().id();

        // A newer, properly signed Release, but the Packages.xz served is not the one it lists.
        a.add(new TestArchive.Deb("newer", "2", "newer", "newer".getBytes(StandardCharsets.UTF_8)));
        a.write(T2);
        Path xz = a.root().resolve("dists/" + a.suite + "/main/binary-amd64/Packages.xz");
        byte[] good = Files.readAllBytes(xz);
        Files.write(xz, Arrays.copyOf(good, good.length - 7));
        for (Path p : Files.list(xz.resolveSibling("by-hash/SHA256")).toList()) {
            Files.write(p, Arrays.copyOf(Files.readAllBytes(p), 10));
        }
        Syncer.Report bad = s.sync(up, new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.suites().get(0).error()).contains("Packages.xz: size failed");
        assertThat(store.published("test").orElseThrow().id()).isEqualTo(first);
        assertThat(new MirrorState(store.stateDir()).lastDates("test")).containsEntry(a.suite, T1);

        a.write(T2);
        Syncer.Report fixed = syncer(store, at(T2.plusSeconds(5)), upstreamKeyring())
                .sync(up, new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(fixed.ok()).as(fixed.toString()).isTrue();
        assertThat(store.published("test").orElseThrow().id()).isNotEqualTo(first);
        assertThat(new MirrorState(store.stateDir()).lastDates("test")).containsEntry(a.suite, T2);
    }

    @Test
    void anOlderReleaseThanTheLastAcceptedIsARollback() throws IOException {
        TestArchive a = archive();
        a.write(T2);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer s = syncer(store, at(T2), upstreamKeyring());
        Upstream up = upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false);
        assertThat(s.sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
        a.write(T1);
        Syncer.Report r = s.sync(up, new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.suites().get(0).error()).contains("rollback failed").contains("older than the last accepted");
    }

    @Test
    void aReleaseDatedFarInTheFutureIsRefused() throws IOException {
        TestArchive a = archive();
        a.signedAt = T2;
        a.write(T2.plus(Duration.ofDays(3)));
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer.Report r = syncer(store, at(T2.plus(Duration.ofDays(4))), upstreamKeyring())
                .sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.ok()).isTrue();
        // Same archive seen from a clock three days earlier.
        MirrorStore other = new MirrorStore(tmp.resolve("data2"), at(T2));
        Syncer.Report early = syncer(other, at(T2), upstreamKeyring())
                .sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(early.suites().get(0).error()).contains("ahead of now");
    }

    @Test
    void aReleaseForAnotherSuiteIsRefused() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        Path moved = a.root().resolve("dists/other");
        Files.move(a.root().resolve("dists/" + a.suite), moved);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer.Report r = syncer(store, at(T2), upstreamKeyring())
                .sync(upstream("other", PoolPolicy.NONE, PublishMode.VERBATIM, false), new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.suites().get(0).error()).contains("suite failed").contains("not 'other'");
    }

    @Test
    void anIndexThatExpandsBeyondItsSignedSizeIsRefused() throws IOException {
        TestArchive a = archive();
        a.releaseHook = text -> text.replaceAll("(?m)^( \\w{64} +)(\\d+)( main/binary-amd64/Packages)$", "$1" + "100$3");
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer.Report r = syncer(store, at(T2), upstreamKeyring())
                .sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.suites().get(0).error()).contains("Packages.xz: uncompressed size failed").contains("expands beyond the signed 100 bytes");
    }

    @Test
    void aTruncatedXzIsRefusedEvenWhenTheReleaseVouchesForIt() throws IOException {
        TestArchive a = archive();
        a.xzHook = b -> Arrays.copyOf(b, b.length - 20);
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer.Report r = syncer(store, at(T2), upstreamKeyring())
                .sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.suites().get(0).error()).contains("Packages.xz: decompression failed");
        assertThat(store.published("test")).isEmpty();
    }

    @Test
    void theWholePoolIsFetchedAndVerifiedWithPolicyAll() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Upstream up = upstream(a.suite, PoolPolicy.ALL, PublishMode.VERBATIM, true);
        Syncer.Report r = syncer(store, at(T2), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.ok()).as(r.toString()).isTrue();
        Path tree = store.publishedDir().resolve("test");
        assertThat(tree.resolve("pool/main/h/hello/hello_1.0-1_amd64.deb")).hasContent("hello deb");
        assertThat(tree.resolve("pool/main/h/hello/libhello1_1.0-1_amd64.deb")).hasContent("lib deb");

        // A .deb replaced on the upstream after signing is refused; nothing new is published.
        // Beside it, good files that the concurrent fetches stage before the bad one is seen.
        for (int i = 0; i < 40; i++) {
            a.add(new TestArchive.Deb("good" + i, "1", "good" + i, ("good " + i).getBytes(StandardCharsets.UTF_8)));
        }
        a.add(new TestArchive.Deb("extra", "2", "extra", "extra".getBytes(StandardCharsets.UTF_8)));
        a.write(T2);
        Files.writeString(a.root().resolve("pool/main/e/extra/extra_2_amd64.deb"), "EVIL!");
        String before = store.published("test").orElseThrow().id();
        Syncer.Report bad = syncer(store, at(T2.plusSeconds(60)), upstreamKeyring())
                .sync(up, new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(bad.error()).contains("pool/main/e/extra/extra_2_amd64.deb: SHA256 failed");
        assertThat(store.published("test").orElseThrow().id()).isEqualTo(before);
        assertThat(store.pool().has(Pool.sha256("EVIL!".getBytes(StandardCharsets.UTF_8)))).isFalse();
        // Staged files of the failed sync are removed, not left under temporary names.
        try (java.util.stream.Stream<Path> files = Files.walk(store.pool().dir())) {
            assertThat(files.filter(org.demi.deb.io.Durable::isTemp).toList()).isEmpty();
        }
    }

    @Test
    void onDemandFetchesOnlyWhatTheIndicesNameAndVerifiesIt() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Upstream up = upstream(a.suite, PoolPolicy.ON_DEMAND, PublishMode.VERBATIM, false);
        assertThat(syncer(store, at(T2), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
        assertThat(store.publishedDir().resolve("test/pool")).doesNotExist();

        OnDemandPool od = new OnDemandPool(store, Map.of("test", up), u -> new DirectoryFetcher(a.root()), TransferLimits.DEFAULT);
        Path got = od.ensure("test", "pool/main/h/hello/hello_1.0-1_amd64.deb").orElseThrow();
        assertThat(got).hasContent("hello deb");
        assertThat(od.ensure("test", "pool/main/n/nothere/nothere_1_amd64.deb")).isEmpty();
        assertThat(od.ensure("test", "dists/whatever")).isEmpty();

        Files.writeString(a.root().resolve("pool/main/h/hello/libhello1_1.0-1_amd64.deb"), "tampered");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> od.ensure("test", "pool/main/h/hello/libhello1_1.0-1_amd64.deb"))
                .hasMessageContaining("libhello1_1.0-1_amd64.deb: size failed");
        assertThat(store.onDemandDir("test").resolve("pool/main/h/hello/libhello1_1.0-1_amd64.deb")).doesNotExist();
    }

    @Test
    void curatedPublishingSignsTheSuiteWithTheServersKey() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Upstream up = upstream(a.suite, PoolPolicy.NONE, PublishMode.CURATED, false);
        assertThat(syncer(store, at(T2), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
        Path dist = store.publishedDir().resolve("test/dists/" + a.suite);
        var verified = new SignatureVerifier(serverKey.keyring(), at(T2))
                .verifyClearsigned(Files.readAllBytes(dist.resolve("InRelease")), "curated InRelease");
        String text = new String(verified.text(), StandardCharsets.UTF_8);
        String xzSha = Pool.sha256(Files.readAllBytes(dist.resolve("main/binary-amd64/Packages.xz")));
        assertThat(text).contains("Date: Sat, 21 Nov 2026 10:00:00 UTC").contains(xzSha + " ").contains("Acquire-By-Hash: yes");
        assertThat(dist.resolve("main/binary-amd64/by-hash/SHA256/" + xzSha)).exists();
        assertThat(new SignatureVerifier(serverKey.keyring(), at(T2)).verifyDetached(
                Files.readAllBytes(dist.resolve("Release")), Files.readAllBytes(dist.resolve("Release.gpg")), "Release").signers())
                .containsExactly(serverKey.fingerprint());
        // Hosts pin the server's key: upstream's key does not sign the curated file.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SignatureVerifier(upstreamKey.keyring(), at(T2))
                .verifyClearsigned(Files.readAllBytes(dist.resolve("InRelease")), "curated InRelease"))
                .hasMessageContaining("NO_PUBKEY");
    }

    @Test
    void oldSnapshotsAndUnreferencedPoolFilesAreSwept() throws IOException {
        TestArchive a = archive();
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Upstream up = upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false);
        for (int i = 0; i < 4; i++) {
            Instant t = T1.plus(Duration.ofHours(i));
            a.add(new TestArchive.Deb("p" + i, "1", "p" + i, ("content " + i).getBytes(StandardCharsets.UTF_8)));
            a.write(t);
            MirrorStore st = new MirrorStore(tmp.resolve("data"), at(t.plusSeconds(1)));
            assertThat(syncer(st, at(t.plusSeconds(1)), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
        }
        assertThat(store.snapshots("test")).hasSize(2);
        long poolFiles;
        try (var s = Files.walk(store.pool().dir())) {
            poolFiles = s.filter(Files::isRegularFile).count();
        }
        long referenced = store.snapshots("test").stream().flatMap(sn -> sn.files().stream()).map(f -> f.sha256()).distinct().count();
        assertThat(poolFiles).isEqualTo(referenced);
    }

    @Test
    void aStalledServerFailsTheSyncWithinTheStallTimeout() throws Exception {
        TestArchive a = archive();
        a.write(T1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> stalled = new AtomicReference<>();
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath().substring(1);
            Path f = a.root().resolve(path);
            if (!Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(f);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (path.contains("binary-amd64")) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    stalled.set(path);
                    Thread.sleep(4000);
                }
                out.write(body);
            } catch (InterruptedException | IOException e) {
                // the client gave up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
            Fetcher http = Fetcher.of(uri, Duration.ofSeconds(2), Duration.ofMillis(500), ProxySettings.NONE);
            long start = System.nanoTime();
            Syncer.Report r = syncer(store, at(T2), upstreamKeyring())
                    .sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), http, Progress.SILENT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(stalled.get()).isNotNull();
            assertThat(r.suites().get(0).error()).contains("stalled");
        } finally {
            server.stop(0);
        }
    }

    /**
     * A published tree that lost files (as two racing syncs once left one, with no dists/ at
     * all) is reported by {@link MirrorStore#damage} and repaired by the next sync, even though
     * upstream did not change: it used to be called "unchanged" and stay broken.
     */
    @Test
    void aPublishedTreeThatFailsItsManifestIsReportedAndRepairedByTheNextSync() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Upstream up = upstream(a.suite, PoolPolicy.ALL, PublishMode.VERBATIM, false);
        assertThat(syncer(store, at(T2), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
        Snapshot first = store.published("test").orElseThrow();
        assertThat(store.damage(first)).isEmpty();

        Path tree = store.publishedDir().resolve("test");
        // A whole directory gone, and one file replaced by other bytes of the same size (not the pool's verified file).
        deleteTree(tree.resolve("dists"));
        Path deb = tree.resolve("pool/main/h/hello/hello_1.0-1_amd64.deb");
        long size = Files.size(deb);
        Files.delete(deb);
        Files.write(deb, new byte[(int) size]);
        List<String> damage = store.damage(first);
        assertThat(damage).anyMatch(d -> d.equals("dists/" + a.suite + "/InRelease is missing"))
                .contains("pool/main/h/hello/hello_1.0-1_amd64.deb is not the verified file of its manifest");

        List<String> steps = new java.util.ArrayList<>();
        Syncer.Report r = syncer(store, at(T2.plusSeconds(5)), upstreamKeyring())
                .sync(up, new DirectoryFetcher(a.root()), steps::add);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(steps).anyMatch(m -> m.contains("fails its manifest") && m.contains("repair"));
        Snapshot repaired = r.published().orElseThrow();
        assertThat(repaired.id()).isNotEqualTo(first.id());
        assertThat(store.damage(store.published("test").orElseThrow())).isEmpty();
        assertThat(tree.resolve("dists/" + a.suite + "/InRelease")).isRegularFile();
        assertThat(Files.readAllBytes(deb)).isEqualTo("hello deb".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Two syncs of one data directory at once: the second is refused at once, naming the
     * holder, and does nothing; the first publishes a whole tree. The lock dies with its holder.
     */
    @Test
    void aSecondSyncWhileOneRunsIsRefusedNamingTheHolder() throws Exception {
        TestArchive a = archive();
        a.write(T1);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Upstream up = upstream(a.suite, PoolPolicy.ALL, PublishMode.VERBATIM, false);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // The first sync waits inside its lock, at its first step, until the second has been refused.
        Progress blocking = m -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        java.util.concurrent.Future<Syncer.Report> first = java.util.concurrent.Executors.newSingleThreadExecutor()
                .submit(() -> syncer(store, at(T2), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), blocking));
        inside.await();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> syncer(store, at(T2), upstreamKeyring())
                        .sync(up, new DirectoryFetcher(a.root()), Progress.SILENT))
                .isInstanceOf(org.demi.mirror.store.SyncRunningException.class)
                .hasMessageContaining("another mirror sync is running")
                .hasMessageContaining("pid " + ProcessHandle.current().pid());
        release.countDown();
        assertThat(first.get().ok()).isTrue();
        assertThat(store.damage(store.published("test").orElseThrow())).isEmpty();
        // Released: the next one runs.
        assertThat(syncer(store, at(T2), upstreamKeyring()).sync(up, new DirectoryFetcher(a.root()), Progress.SILENT).ok()).isTrue();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** An upstream serving {@code a}'s files, those whose path contains {@code slow} one byte per {@code gapMillis}. */
    static HttpServer trickling(TestArchive a, String slow, long gapMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Path f = a.root().resolve(ex.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(f);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (ex.getRequestURI().getPath().contains(slow)) {
                    for (byte b : body) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(gapMillis);
                    }
                } else {
                    out.write(body);
                }
            } catch (InterruptedException | IOException e) {
                // the client gave up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return server;
    }

    /** Syncs {@code a} from an upstream trickling its Packages index at ten bytes a second, under {@code limits}. */
    Syncer.Report syncTrickled(TestArchive a, TransferLimits limits) throws Exception {
        HttpServer server = trickling(a, "binary-amd64", 100);
        try {
            Fetcher http = Fetcher.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Duration.ofSeconds(2),
                    Duration.ofMillis(500), ProxySettings.NONE);
            MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
            Syncer s = new Syncer(store, new KeyringResolver(List.of(upstreamKeyring())), at(T2), ReleaseGuard.DEFAULT, serverKey, 2,
                    limits);
            long start = System.nanoTime();
            Syncer.Report r = s.sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), http, Progress.SILENT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(store.published("test")).isEmpty();
            return r;
        } finally {
            server.stop(0);
        }
    }

    /**
     * An index trickled at ten bytes a second never stalls long enough for the stall timeout,
     * which restarts at every byte; before deadlines such a sync ran for as long as the
     * upstream liked. Now the file is cut at its deadline from its signed size.
     */
    @Test
    void aTrickledIndexIsCutAtTheDeadlineOfItsSignedSize() throws Exception {
        TestArchive a = archive();
        a.write(T1);
        Syncer.Report r = syncTrickled(a, new TransferLimits(Duration.ofSeconds(1), 1 << 30, Duration.ofDays(1)));
        assertThat(r.suites().get(0).error()).contains("binary-amd64").contains("not complete by its deadline")
                .contains("its 1 s for a signed size of");
    }

    /** Each file within its own deadline, the sync as a whole still ends at its own. */
    @Test
    void aSyncIsCutAtItsWholeDeadline() throws Exception {
        TestArchive a = archive();
        a.write(T1);
        Syncer.Report r = syncTrickled(a, new TransferLimits(Duration.ofMinutes(10), 1, Duration.ofSeconds(1)));
        assertThat(r.suites().get(0).error()).contains("the whole sync's limit");
    }

    /** A release file is read whole, so it has a small cap of its own: a real InRelease is well under 1 MiB. */
    @Test
    void anInReleaseOfMoreThanOneMebibyteIsRefusedUnread() throws IOException {
        TestArchive a = archive();
        a.write(T1);
        Files.write(a.root().resolve("dists/" + a.suite + "/InRelease"), new byte[(1 << 20) + 1]);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), at(T2));
        Syncer.Report r = syncer(store, at(T2), upstreamKeyring())
                .sync(upstream(a.suite, PoolPolicy.NONE, PublishMode.VERBATIM, false), new DirectoryFetcher(a.root()), Progress.SILENT);
        assertThat(r.suites().get(0).error()).contains("InRelease: size failed").contains("larger than 1048576 bytes");
    }

    /** A failed transfer says why in words, not only a host name as Java's UnknownHostException does. */
    @Test
    void aFailedTransferSaysWhyInWords() throws Exception {
        URI uri = URI.create("https://tracker.example.org/data/DSA/list");
        assertThat(org.demi.mirror.fetch.HttpFetcher.describe(new java.net.UnknownHostException("tracker.example.org"), uri))
                .isEqualTo("the host name tracker.example.org does not resolve (no DNS, or no network to it)");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Fetcher http = Fetcher.of(URI.create("http://127.0.0.1:" + closed + "/"), Duration.ofSeconds(2), Duration.ofSeconds(2),
                ProxySettings.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.open("dists/x/InRelease"))
                .hasMessage("http://127.0.0.1:" + closed + "/dists/x/InRelease: the connection was refused (Connection refused)");
    }
}
