package org.demi.compliance.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery over a real sshd on loopback to the real host side (demi-inventory's forced
 * command passing "receive" to demi-client): the whole tree the first time, then only what the
 * host lacks; a file that does not match what the MANIFEST says is refused by the host, whose
 * tree stays, and the server is told why.
 */
class SshDeliveryTest {
    @TempDir
    static Path shared;
    static Sshd sshd;
    static SshIdentity identity;
    static SshCollector collector;
    static HostSpec host;

    @BeforeAll
    static void start() throws Exception {
        sshd = new Sshd(shared.resolve("sshd"));
        identity = SshIdentity.loadOrCreate(shared.resolve("keys"));
        Path client = Path.of("../client").toAbsolutePath();
        sshd.authorize(identity.publicKey(), "DEMI_CLIENT_HOME=" + shared.resolve("host") + " DEMI_CLIENT_REPO=" + repo()
                + " DEMI_INVENTORY_CLIENT=" + client.resolve("demi-client") + " sh " + client.resolve("demi-inventory"));
        KnownHosts known = new KnownHosts(shared.resolve("known_hosts"));
        collector = new SshCollector(identity, known, new SshCollector.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 4,
                "demi-inventory"));
        host = new HostSpec("h1", "127.0.0.1", sshd.port, "root", List.of(), CollectMethod.SSH);
        known.trust(KnownHosts.hostId(host.address(), host.port()), collector.presentedKey(host));
    }

    @AfterAll
    static void stop() throws Exception {
        collector.close();
        sshd.close();
    }

    static Path repo() {
        return shared.resolve("host/repo");
    }

    static DeliveryFile file(String path, String content) throws Exception {
        Path source = Files.createTempFile(shared, "src", "");
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        Files.write(source, b);
        return new DeliveryFile(path, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)), b.length, source);
    }

    @Test
    void theFirstDeliverySendsAllTheNextOnlyWhatChangedAndABadFileIsRefused() throws Exception {
        String deb = "x".repeat(100_000);
        List<DeliveryFile> first = List.of(file("debian/dists/bookworm/InRelease", "release one"),
                file("debian/pool/main/o/openssl/libssl3_3.0.22_amd64.deb", deb));
        SshCollector.Delivered d = collector.deliver(host, first);
        assertThat(d.sent()).isEqualTo(2);
        assertThat(d.bytes()).isGreaterThan(100_000);
        assertThat(d.answer()).contains("received 2 files");
        assertThat(repo().resolve("debian/pool/main/o/openssl/libssl3_3.0.22_amd64.deb")).hasContent(deb);

        // Unchanged: only the MANIFEST travels, in one small archive.
        SshCollector.Delivered again = collector.deliver(host, first);
        assertThat(again.sent()).isZero();
        assertThat(again.bytes()).isLessThan(4096);

        // A new InRelease: that file alone.
        List<DeliveryFile> second = List.of(file("debian/dists/bookworm/InRelease", "release two"), first.get(1));
        assertThat(collector.deliver(host, second).sent()).isEqualTo(1);
        assertThat(repo().resolve("debian/dists/bookworm/InRelease")).hasContent("release two");

        // Bytes that are not what the MANIFEST says: the host refuses, keeps its tree, and says why.
        DeliveryFile good = file("debian/dists/bookworm/InRelease", "release three");
        Path tampered = Files.createTempFile(shared, "bad", "");
        Files.writeString(tampered, "releasf three");
        DeliveryFile bad = new DeliveryFile(good.path(), good.sha256(), good.size(), tampered);
        assertThatThrownBy(() -> collector.deliver(host, List.of(bad, first.get(1))))
                .hasMessageContaining("the host refused the delivery").hasMessageContaining("SHA256 does not match");
        assertThat(repo().resolve("debian/dists/bookworm/InRelease")).hasContent("release two");
    }
}
