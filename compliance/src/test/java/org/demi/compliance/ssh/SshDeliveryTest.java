package org.demi.compliance.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery of Debian's own signed files over a real sshd on loopback to the real host side
 * (demi-inventory's forced command passing "receive" to demi-client): the whole tree the first
 * time, then only what the host lacks, then nothing but the checksums. A file that does not
 * match its MANIFEST line, and a release file that does but is not what Debian signed (as a
 * server that was taken over would send it), are refused by the host, whose tree stays, and the
 * server is told why.
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

    static DeliveryFile file(String path, Path source) throws Exception {
        byte[] b = Files.readAllBytes(source);
        return new DeliveryFile(path, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)), b.length, source);
    }

    static final String IN_RELEASE = "debian/dists/bookworm/InRelease";
    static final String DISTRO_INFO = "pool/main/d/distro-info-data/distro-info-data_0.58+deb12u7_all.deb";
    static final String SUPPORT = "pool/main/d/debian-security-support/debian-security-support_12+2026.06.30_all.deb";

    @Test
    void theFirstDeliverySendsAllTheNextOnlyWhatChangedAndABadFileIsRefused() throws Exception {
        DeliveryFile inRelease = file(IN_RELEASE, Fixtures.path("archive/bookworm/InRelease"));
        DeliveryFile packages = file("debian/dists/bookworm/main/binary-amd64/Packages.xz",
                Fixtures.path("archive/bookworm/main/binary-amd64/Packages.xz"));
        DeliveryFile distroInfo = file("debian/" + DISTRO_INFO, Fixtures.path("archive/bookworm/" + DISTRO_INFO));
        List<DeliveryFile> first = List.of(inRelease, packages, distroInfo);
        SshCollector.Delivered d = collector.deliver(host, first);
        assertThat(d.sent()).isEqualTo(3);
        assertThat(d.bytes()).isGreaterThan(packages.size());
        assertThat(d.answer()).contains("received 3 files");
        assertThat(repo().resolve("debian/" + DISTRO_INFO)).hasSameBinaryContentAs(distroInfo.source());

        // Unchanged: only the MANIFEST travels, in one small archive, and the host keeps its tree.
        SshCollector.Delivered again = collector.deliver(host, first);
        assertThat(again.sent()).isZero();
        assertThat(again.bytes()).as("two short lines each way").isLessThan(256);
        assertThat(again.answer()).startsWith("unchanged");

        // A second .deb: that file alone.
        DeliveryFile support = file("debian/" + SUPPORT, Fixtures.path("archive/bookworm/" + SUPPORT));
        List<DeliveryFile> second = List.of(inRelease, packages, distroInfo, support);
        assertThat(collector.deliver(host, second).sent()).isEqualTo(1);
        assertThat(repo().resolve("debian/" + SUPPORT)).exists();

        // Bytes that are not what the MANIFEST says (a file the host does not hold, one byte
        // flipped on the way): the host refuses, keeps its tree, and says why.
        DeliveryFile security = file("debian-security/dists/bookworm-security/InRelease", Fixtures.path("archive/bookworm-security/InRelease"));
        Path flipped = Files.createTempFile(shared, "flipped", "");
        byte[] f = Files.readAllBytes(security.source());
        f[f.length / 3] ^= 1;
        Files.write(flipped, f);
        DeliveryFile bad = new DeliveryFile(security.path(), security.sha256(), security.size(), flipped);
        assertThatThrownBy(() -> collector.deliver(host, List.of(inRelease, packages, bad)))
                .hasMessageContaining("the host refused the delivery").hasMessageContaining("SHA256 does not match");
        // Bytes with a MANIFEST line that agrees, as a server that was taken over would send
        // them: the host's apt finds Debian's signature broken.
        Path tampered = Files.createTempFile(shared, "bad", "");
        byte[] b = Files.readAllBytes(inRelease.source());
        b[b.length / 3] ^= 1;
        Files.write(tampered, b);
        assertThatThrownBy(() -> collector.deliver(host, List.of(file(IN_RELEASE, tampered), packages)))
                .hasMessageContaining("the host refused the delivery").hasMessageContaining("apt refused the delivery")
                .hasMessageContaining("BADSIG");
        assertThat(repo().resolve(IN_RELEASE)).hasSameBinaryContentAs(inRelease.source());
        assertThat(repo().resolve("debian/" + SUPPORT)).exists();
    }
}
