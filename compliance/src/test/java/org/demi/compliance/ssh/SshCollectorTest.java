package org.demi.compliance.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH pull against a real OpenSSH sshd on loopback; every failure ends as a named error for that host alone. */
class SshCollectorTest {
    @TempDir
    static Path shared;
    static Sshd sshd;
    static SshIdentity identity;
    static String inventoryCommand;

    @TempDir
    Path tmp;
    InventoryStore store;
    KnownHosts knownHosts;
    SshCollector collector;

    static final SshCollector.Settings FAST = new SshCollector.Settings(Duration.ofSeconds(2), Duration.ofSeconds(6), 8,
            "demi-inventory");

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = new Sshd(shared.resolve("sshd"));
        identity = SshIdentity.loadOrCreate(shared.resolve("keys"));
        inventoryCommand = "DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/bookworm-minbase/status").toAbsolutePath()
                + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/bookworm-minbase/os-release").toAbsolutePath()
                + " sh " + Path.of("../client/demi-inventory").toAbsolutePath();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        sshd.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        store = new InventoryStore(tmp, Clock.systemUTC());
        knownHosts = new KnownHosts(tmp.resolve("known_hosts"));
        collector = new SshCollector(identity, knownHosts, FAST);
        sshd.authorize(identity.publicKey(), inventoryCommand);
    }

    static HostSpec host(String name, int port) {
        return new HostSpec(name, "127.0.0.1", port, "root", List.of(), CollectMethod.SSH);
    }

    @Test
    void aTrustedHostIsCollectedThenSkippedWhileUnchanged() throws Exception {
        HostSpec h = host("web1", sshd.port);
        KnownHosts.Key presented = collector.presentedKey(h);
        assertThat(presented.fingerprint()).isEqualTo(sshd.key().fingerprint());
        knownHosts.trust(KnownHosts.hostId(h.address(), h.port()), presented);

        HistoryEntry first = collector.collect(h, store);
        assertThat(first.outcome()).as(first.detail()).isEqualTo(Outcome.STORED);
        assertThat(store.latest("web1").orElseThrow().inventory().statusBytes())
                .isEqualTo(Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/status")));
        assertThat(collector.collect(h, store).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(store.history("web1")).extracting(HistoryEntry::outcome).containsExactly(Outcome.STORED, Outcome.UNCHANGED);
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        HistoryEntry e = collector.collect(host("web2", sshd.port), store);
        assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(e.detail()).contains("unknown host key ssh-ed25519 " + sshd.key().fingerprint())
                .contains("demi hosts trust web2");
        assertThat(store.latest("web2")).isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefusedLoudlyAndNothingIsIngested() throws Exception {
        Path other = tmp.resolve("other");
        Sshd.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()));
        String[] f = Files.readString(Path.of(other + ".pub")).strip().split("\\s+");
        knownHosts.trust(KnownHosts.hostId("127.0.0.1", sshd.port), new KnownHosts.Key(f[0], java.util.Base64.getDecoder().decode(f[1])));
        HistoryEntry e = collector.collect(host("web3", sshd.port), store);
        assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(e.detail()).startsWith("HOST KEY CHANGED").contains(sshd.key().fingerprint()).contains("nothing was collected");
        assertThat(store.latest("web3")).isEmpty();
    }

    @Test
    void aKeyTheHostDoesNotAcceptIsRefused() throws Exception {
        HostSpec h = host("web4", sshd.port);
        knownHosts.trust(KnownHosts.hostId(h.address(), h.port()), sshd.key());
        SshIdentity stranger = SshIdentity.loadOrCreate(tmp.resolve("stranger-keys"));
        HistoryEntry e = new SshCollector(stranger, knownHosts, FAST).collect(h, store);
        assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(e.detail()).contains("not accepted for root@[127.0.0.1]:" + sshd.port);
    }

    @Test
    void aPortThatAcceptsAndNeverAnswersCostsOnlyItsTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.start();
            HostSpec dead = host("dead", silent.getLocalPort());
            HostSpec good = host("good", sshd.port);
            knownHosts.trust(KnownHosts.hostId(good.address(), good.port()), sshd.key());
            long t0 = System.nanoTime();
            Map<String, HistoryEntry> all = collector.collectAll(List.of(dead, good), store);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(all.get("good").outcome()).isEqualTo(Outcome.STORED);
            assertThat(all.get("dead").outcome()).isEqualTo(Outcome.UNREACHABLE);
            assertThat(all.get("dead").detail()).contains("127.0.0.1");
            assertThat(took).isLessThan(FAST.hostDeadline());
        }
    }

    @Test
    void aHostThatSendsGarbageIsANamedError() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] junk = new byte[4096];
                    new Random(1).nextBytes(junk);
                    out.write(junk);
                    out.flush();
                    Thread.sleep(3000);
                } catch (Exception e) {
                    // done
                }
            });
            t.start();
            HistoryEntry e = collector.collect(host("noise", garbage.getLocalPort()), store);
            assertThat(e.outcome()).isEqualTo(Outcome.UNREACHABLE);
            assertThat(e.detail()).isNotBlank();
        }
    }

    @Test
    void htmlOrAHugeInventoryIsRejectedAndThePreviousOneStays() throws Exception {
        HostSpec h = host("web5", sshd.port);
        knownHosts.trust(KnownHosts.hostId(h.address(), h.port()), sshd.key());
        assertThat(collector.collect(h, store).outcome()).isEqualTo(Outcome.STORED);
        String good = store.latest("web5").orElseThrow().received().checksum().orElseThrow();

        sshd.authorize(identity.publicKey(), "echo '<html><body>Please log in</body></html>'");
        HistoryEntry html = collector.collect(h, store);
        assertThat(html.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(html.detail()).startsWith("not a gzip stream");

        // Far more than an inventory may be.
        sshd.authorize(identity.publicKey(), "head -c 40000000 /dev/zero");
        HistoryEntry huge = collector.collect(h, store);
        assertThat(huge.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(huge.detail()).contains("more than");

        // Valid framing around a status file that does not parse.
        sshd.authorize(identity.publicKey(), "printf 'junk' | gzip -c");
        // A host claiming "unchanged" for a checksum other than ours is not believed.
        sshd.authorize(identity.publicKey(), "echo unchanged 1111111111111111111111111111111111111111111111111111111111111111");
        assertThat(collector.collect(h, store).detail()).startsWith("not a gzip stream");
        sshd.authorize(identity.publicKey(), "printf 'junk' | gzip -c");
        assertThat(collector.collect(h, store).detail()).isEqualTo("the header ends before its blank line");

        assertThat(store.latest("web5").orElseThrow().received().checksum()).hasValue(good);
    }
}
