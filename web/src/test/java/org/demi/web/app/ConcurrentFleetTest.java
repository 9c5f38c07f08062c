package org.demi.web.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.demi.compliance.ssh.KnownHosts;
import org.demi.compliance.ssh.Sshd;
import org.demi.deb.Fixtures;
import org.demi.index.FleetIndex;
import org.demi.index.SearchQuery;
import org.demi.mirror.DirectoryServer;
import org.demi.mirror.TestArchive;
import org.demi.mirror.pgp.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server under everything at once: 200 pushes from 50 push hosts over HTTP, while a
 * collection sweep pulls SSH hosts from a real sshd and collects the local host, and a mirror
 * sync from a local upstream publishes a new snapshot, which re-indexes every host. Afterwards
 * every history line of every host parses, every accepted inventory is in the store and in
 * its host's history exactly once, and the index agrees with the store for every host.
 */
class ConcurrentFleetTest {
    static final int PUSH_HOSTS = 50;
    static final int PUSHES_PER_HOST = 4;
    static final int SSH_HOSTS = 6;
    static final String[] FIXTURE_HOSTS = {"bookworm-minbase", "bookworm-dev", "bullseye-minbase", "trixie-minbase"};

    @TempDir
    Path tmp;

    @Test
    void pushesSweepsAndASyncAtOnceLoseNothingAndLeaveTheIndexInStep() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        Path root = localRoot();
        HttpServer upstream = upstream();
        try (Sshd sshd = new Sshd(tmp.resolve("sshd"))) {
            List<HostSpec> hosts = new ArrayList<>();
            for (int i = 0; i < PUSH_HOSTS; i++) {
                hosts.add(new HostSpec(String.format("push%02d", i), null, 22, null, List.of("g" + i % 3), CollectMethod.PUSH));
            }
            for (int i = 0; i < SSH_HOSTS; i++) {
                hosts.add(new HostSpec("ssh" + i, "127.0.0.1", sshd.port, "root", List.of("ssh"), CollectMethod.SSH));
            }
            hosts.add(new HostSpec("gone", "127.0.0.1", closedPort(), "root", List.of("ssh"), CollectMethod.SSH));
            hosts.add(new HostSpec("self", null, 22, null, List.of(), CollectMethod.LOCAL));
            HostsFile.write(config.resolve("hosts"), hosts);
            Files.writeString(config.resolve("sources.list"), "deb [signed-by=" + tmp.resolve("upstream.gpg") + "] http://127.0.0.1:"
                    + upstream.getAddress().getPort() + "/debian-security bookworm-security main\n");

            Configuration configuration = new Configuration(config, data, root, tmp.resolve("no-apt"), java.time.Clock.systemUTC());
            StringWriter log = new StringWriter();
            try (Application app = Application.build(configuration, new Application.Options(org.demi.web.serve.Network.of(new InetSocketAddress("127.0.0.1", 0)),
                    Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)), new PrintWriter(log, true), new PrintWriter(log, true))) {
                Map<String, String> tokens = new HashMap<>();
                for (int i = 0; i < PUSH_HOSTS; i++) {
                    tokens.put(hosts.get(i).host(), app.compliance().pushTokens().issue(hosts.get(i).host()));
                }
                String pushInventory = "DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/bookworm-minbase/status").toAbsolutePath()
                        + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/bookworm-minbase/os-release").toAbsolutePath()
                        + " sh " + Path.of("../client/demi-inventory").toAbsolutePath();
                sshd.authorize(app.compliance().sshIdentity().publicKey(), pushInventory);
                KnownHosts.Key key = sshd.key();
                app.compliance().knownHosts().trust(KnownHosts.hostId("127.0.0.1", sshd.port), key);
                app.start();

                // Every push a new inventory: the fixture's status with one package at a version of its own.
                Map<String, List<byte[]>> bodies = new HashMap<>();
                Map<String, List<String>> checksums = new HashMap<>();
                for (int i = 0; i < PUSH_HOSTS; i++) {
                    String host = hosts.get(i).host();
                    for (int n = 0; n < PUSHES_PER_HOST; n++) {
                        Inventory inv = inventory(FIXTURE_HOSTS[i % FIXTURE_HOSTS.length], host + "." + n);
                        bodies.computeIfAbsent(host, h -> new ArrayList<>()).add(gzipFrame(inv));
                        checksums.computeIfAbsent(host, h -> new ArrayList<>()).add(inv.checksum());
                    }
                }

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                String base = "http://127.0.0.1:" + app.port() + "/push/v1/hosts/";
                ExecutorService pool = Executors.newFixedThreadPool(PUSH_HOSTS + 2);
                CountDownLatch go = new CountDownLatch(1);
                Map<String, List<String>> answers = new ConcurrentHashMap<>();
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < PUSH_HOSTS; i++) {
                    String host = hosts.get(i).host();
                    work.add(pool.submit((Callable<Void>) () -> {
                        go.await();
                        for (byte[] body : bodies.get(host)) {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + host + "/inventory"))
                                    .header("Authorization", "Bearer " + tokens.get(host)).timeout(Duration.ofSeconds(120))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                            assertThat(r.statusCode()).as(host + ": " + r.body()).isEqualTo(200);
                            answers.computeIfAbsent(host, h -> new ArrayList<>()).add(r.body().strip());
                        }
                        return null;
                    }));
                }
                work.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    app.collect();
                    return null;
                }));
                work.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    app.sync();
                    return null;
                }));
                go.countDown();
                for (Future<?> f : work) {
                    f.get(5, TimeUnit.MINUTES);
                }
                pool.shutdown();
                app.indexer().flush();

                InventoryStore store = app.compliance().inventories();
                // Every push was answered "stored" with its own checksum, and recorded exactly once.
                for (int i = 0; i < PUSH_HOSTS; i++) {
                    String host = hosts.get(i).host();
                    List<String> expected = checksums.get(host).stream().map(c -> "stored " + c).toList();
                    assertThat(answers.get(host)).as(host).containsExactlyElementsOf(expected);
                    List<HistoryEntry> history = store.history(host);
                    assertThat(history).as(host).extracting(e -> e.outcome() + " " + e.checksum().orElse(""))
                            .containsExactlyElementsOf(checksums.get(host).stream().map(c -> Outcome.STORED + " " + c).toList());
                    for (String c : checksums.get(host)) {
                        assertThat(store.inventory(host, c).checksum()).isEqualTo(c);
                    }
                }
                // The sweep recorded each SSH host and the local host once, and the dead host as unreachable.
                for (HostSpec h : hosts.subList(PUSH_HOSTS, hosts.size())) {
                    List<HistoryEntry> history = store.history(h.host());
                    assertThat(history).as(h.host()).hasSize(1);
                    assertThat(history.get(0).outcome()).as(h.host() + ": " + history.get(0).detail())
                            .isEqualTo(h.host().equals("gone") ? Outcome.UNREACHABLE : Outcome.STORED);
                }
                // Every line of every history file parses: no torn or interleaved line.
                for (HostSpec h : hosts) {
                    List<String> lines = Files.readAllLines(data.resolve("hosts").resolve(h.host()).resolve("history"));
                    assertThat(store.history(h.host())).as(h.host()).hasSize(lines.size());
                }
                // The sync published the upstream, and the index judged the hosts by it.
                assertThat(app.mirror().store().published("debian-security")).isPresent();
                assertThat(log.toString()).contains("judged again against the mirror, ");

                // The index agrees with the store, host by host: the inventory and the verdict.
                FleetIndex index = app.index();
                for (HostSpec h : hosts) {
                    FleetIndex.Result r = index.search(SearchQuery.parse("type:host host:" + h.host()), 0, 2);
                    Optional<HistoryEntry> good = store.lastGood(h.host());
                    assertThat(r.total()).as(h.host()).isEqualTo(1);
                    if (good.isEmpty()) {
                        // Never collected, yet indexed: with its verdict, and why.
                        assertThat(r.rows().get(0).get(org.demi.index.IndexField.VERDICT)).as(h.host()).isEqualTo("unreachable");
                        assertThat(r.rows().get(0).get(org.demi.index.IndexField.REASON)).as(h.host()).startsWith("unreachable at ");
                        continue;
                    }
                    assertThat(r.rows().get(0).get(org.demi.index.IndexField.CHECKSUM)).as(h.host()).isEqualTo(good.get().checksum().orElseThrow());
                    assertThat(r.rows().get(0).get(org.demi.index.IndexField.VERDICT)).as(h.host())
                            .isEqualTo(app.compliance().fleet().state(h).verdict().word());
                }
                // And each pushed host's last version of its marker package is the one searchable.
                for (int i = 0; i < PUSH_HOSTS; i++) {
                    String host = hosts.get(i).host();
                    assertThat(index.search(SearchQuery.parse("host:" + host + " package:demi-marker version:=1.0-" + host + "."
                            + (PUSHES_PER_HOST - 1)), 0, 1).total()).as(host).isEqualTo(1);
                }
            }
        } finally {
            upstream.stop(0);
        }
    }

    /** A root the local host's collection reads: a real status file and os-release. */
    private Path localRoot() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(root.resolve("etc"));
        Files.copy(Fixtures.path("hosts/trixie-minbase/status"), root.resolve("var/lib/dpkg/status"));
        Files.copy(Fixtures.path("hosts/trixie-minbase/os-release"), root.resolve("etc/os-release"));
        return root;
    }

    /** A signed archive of one suite served on loopback, as the mirror's upstream. */
    private HttpServer upstream() throws Exception {
        Instant now = Instant.now();
        SigningKey key = SigningKey.generate("Concurrency Upstream <up@example.org>", now.minus(Duration.ofDays(1)), null, 2048);
        Files.write(tmp.resolve("upstream.gpg"), key.publicBinary());
        TestArchive a = new TestArchive(tmp.resolve("up/debian-security"), key);
        a.suite = "bookworm-security";
        a.codename = "bookworm-security";
        a.validUntil = now.plus(Duration.ofDays(7));
        a.add(new TestArchive.Deb("demi-marker", "9.9-1", "demi-marker", "not really a deb".getBytes(StandardCharsets.UTF_8)));
        a.write(now.minus(Duration.ofMinutes(5)));
        return DirectoryServer.start(tmp.resolve("up"));
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Inventory inventory(String fixtureHost, String markerVersion) throws Exception {
        String status = Files.readString(Fixtures.path("hosts/" + fixtureHost + "/status"))
                + "\nPackage: demi-marker\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 1\n"
                + "Maintainer: Demi <demi@example.org>\nArchitecture: all\nVersion: 1.0-" + markerVersion
                + "\nDescription: which push this is\n";
        return Inventory.of(Files.readAllBytes(Fixtures.path("hosts/" + fixtureHost + "/os-release")),
                status.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzipFrame(Inventory inv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            inv.writeFrame(gz);
        }
        return out.toByteArray();
    }
}
