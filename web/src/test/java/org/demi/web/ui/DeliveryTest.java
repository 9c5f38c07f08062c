package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.demi.compliance.ssh.Sshd;
import org.demi.deb.Fixtures;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demi deliver} to a host behind a real sshd on loopback, whose side is the real
 * demi-client: Debian's real bookworm and bookworm-security release files and indices, as the
 * mirror verified them, land in the host's tree; the host's own apt accepts them as signed by
 * Debian and finds the same updates Demi found; one flipped byte in the delivered InRelease and
 * apt refuses it. A second delivery with nothing changed sends only the exchange of checksums.
 */
class DeliveryTest {
    @TempDir
    Path tmp;

    record Result(int code, String out) {
    }

    Result demi(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--config", tmp.resolve("etc").toString(), "--data", tmp.resolve("data").toString()));
        all.addAll(List.of(args));
        int code = Demi.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new));
        return new Result(code, out.toString());
    }

    @Test
    void theHostsAptTakesTheDeliveredTreeAsDebiansAndRefusesATamperedOne() throws Exception {
        WebFixture.mirror(tmp, tmp.resolve("etc"), tmp.resolve("data"));
        Path client = Path.of("../client").toAbsolutePath();
        Path repo = tmp.resolve("host/repo");
        Path status = Fixtures.path("hosts/bookworm-minbase/status").toAbsolutePath();
        try (Sshd sshd = new Sshd(tmp.resolve("sshd"))) {
            String key = demi("hosts", "key").out().lines().findFirst().orElseThrow();
            // The host's apt checks each delivery before taking it; the fixtures' security suites
            // were valid until a past date, which the host's apt is told to let pass, as below.
            Path aptConfig = tmp.resolve("apt-valid.conf");
            Files.writeString(aptConfig, "Acquire::Check-Valid-Until \"false\";\n");
            sshd.authorize(key, "APT_CONFIG=" + aptConfig + " DEMI_CLIENT_HOME=" + tmp.resolve("host") + " DEMI_CLIENT_REPO=" + repo + " DEMI_INVENTORY_CLIENT="
                    + client.resolve("demi-client") + " DEMI_INVENTORY_STATUS=" + status + " DEMI_INVENTORY_OS_RELEASE="
                    + Fixtures.path("hosts/bookworm-minbase/os-release").toAbsolutePath() + " sh " + client.resolve("demi-inventory"));
            assertThat(demi("hosts", "add", "h1", "--address", "127.0.0.1", "--port", Integer.toString(sshd.port), "--user", "root")
                    .code()).isZero();
            assertThat(demi("hosts", "trust", "h1").code()).isZero();
            assertThat(demi("collect", "h1").out()).startsWith("h1: stored ");

            Result first = demi("deliver", "h1");
            assertThat(first.code()).as(first.out()).isZero();
            // The mirror holds no pool (pool=none): the updates' .debs are named as missing, the rest is delivered.
            assertThat(first.out()).startsWith("h1: delivered ").contains(" not in the mirror: ").contains("is not in the mirror's pool");
            assertThat(repo.resolve("debian/dists/bookworm/InRelease")).hasSameBinaryContentAs(Fixtures.path("archive/bookworm/InRelease"));
            assertThat(repo.resolve("debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz")).exists();
            assertThat(repo.resolve("debian-security/dists/bullseye-security")).doesNotExist(); // another release's suite

            // Left for a server running beside the command, which indexes h1 again for what now waits on it.
            assertThat(new org.demi.compliance.inventory.RecordedElsewhere(tmp.resolve("data"))
                    .take(org.demi.compliance.inventory.RecordedElsewhere.Kind.DELIVERED)).containsExactly("h1");

            Result again = demi("deliver", "h1");
            assertThat(again.out()).contains("(0 sent, ");
            long bytes = Long.parseLong(again.out().replaceAll("(?s).*\\(0 sent, (\\d+) bytes\\).*", "$1"));
            assertThat(bytes).as("an unchanged delivery costs the checksums only").isLessThan(256);

            // The host's own apt source for it, as demi-client enroll deliver writes it.
            Path aptConf = tmp.resolve("host-apt");
            ProcessBuilder enroll = new ProcessBuilder("dash", client.resolve("demi-client").toString(), "enroll", "deliver",
                    Fixtures.path("keyrings/debian-archive-keyring.gpg").toAbsolutePath().toString()).redirectErrorStream(true);
            enroll.environment().put("DEMI_CLIENT_HOME", tmp.resolve("host").toString());
            enroll.environment().put("DEMI_CLIENT_REPO", repo.toString());
            enroll.environment().put("DEMI_CLIENT_APT", aptConf.toString());
            Process e = enroll.start();
            String enrolled = new String(e.getInputStream().readAllBytes());
            assertThat(e.waitFor()).as(enrolled).isZero();
            String sources = Files.readString(aptConf.resolve("sources.list.d/demi-delivered.sources"));
            assertThat(sources).contains("URIs: file:" + repo + "/debian\nSuites: bookworm\nComponents: main\n")
                    .contains("URIs: file:" + repo + "/debian-security\nSuites: bookworm-security\n").doesNotContain("bullseye");
            Set<String> upgradable = aptUpgradable(sources, status, tmp.resolve("apt"));
            assertThat(upgradable).as("the host's apt reads the delivered tree as Debian signed it").isNotEmpty()
                    .contains("libssl3:amd64", "openssl:amd64");
            assertThat(demi("index", "rebuild").code()).isZero();
            Set<String> demiFound = new TreeSet<>();
            demi("search", "host:h1", "state:update,security-update", "--format", "json", "--limit", "1000").out().lines()
                    .filter(l -> l.contains("\"package\" : ")).forEach(l -> demiFound.add(l.replaceAll(".*\"package\" : \"([^\"]+)\".*", "$1")));
            Set<String> aptNames = new TreeSet<>();
            upgradable.forEach(q -> aptNames.add(q.substring(0, q.indexOf(':'))));
            assertThat(aptNames).as("what the host's apt will upgrade is what Demi found").isEqualTo(demiFound);
            System.out.println("deliver, first: " + first.out().strip().replaceAll("; .*", "") + "\ndeliver, again: "
                    + again.out().strip());

            // One byte flipped in a copy of the delivered InRelease: apt refuses the suite.
            Path copy = tmp.resolve("tampered");
            copyTree(repo.toRealPath(), copy);
            Path inRelease = copy.resolve("debian/dists/bookworm/InRelease");
            byte[] b = Files.readAllBytes(inRelease);
            int at = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("Packages.xz") - 5;
            b[at] ^= 1;
            Files.delete(inRelease);
            Files.write(inRelease, b);
            String refused = aptUpdate(sources.replace(repo.toString(), copy.toString()), status, tmp.resolve("apt-tampered"));
            assertThat(refused).containsAnyOf("BADSIG", "not valid", "signature", "Signature");

            // Declared "Deliver: yes", the host gets its delivery from serve's collection, and it is logged.
            assertThat(demi("hosts", "add", "h1", "--address", "127.0.0.1", "--port", Integer.toString(sshd.port), "--user", "root",
                    "--deliver").out()).contains("deliveries after each collection");
            assertThat(Files.readString(tmp.resolve("etc/hosts"))).contains("Deliver: yes");
            Result push = demi("hosts", "add", "p1", "--collect", "push", "--deliver");
            assertThat(push.code()).isEqualTo(2);
            assertThat(push.out()).contains("deliveries go over SSH");
            int before = new org.demi.compliance.delivery.DeliveryLog(tmp.resolve("data")).of("h1").size();
            StringWriter log = new StringWriter();
            try (org.demi.web.app.Application app = org.demi.web.app.Application.build(
                    org.demi.web.app.Configuration.of(tmp.resolve("etc"), tmp.resolve("data")),
                    new org.demi.web.app.Application.Options(org.demi.web.serve.Network.of(new java.net.InetSocketAddress("127.0.0.1", 0)),
                            java.time.Duration.ZERO, java.time.Duration.ZERO, org.demi.web.app.Application.Options.COMMIT_EVERY),
                    new PrintWriter(log), new PrintWriter(log))) {
                app.start(); // loads the mirror's archives, as serve does
                app.collect();
            }
            List<org.demi.compliance.delivery.Delivery> deliveries = new org.demi.compliance.delivery.DeliveryLog(tmp.resolve("data")).of("h1");
            assertThat(deliveries).as(log.toString()).hasSize(before + 1);
            assertThat(deliveries.get(deliveries.size() - 1).delivered()).isTrue();
            assertThat(deliveries.get(deliveries.size() - 1).sent()).as("nothing changed since the last delivery").isZero();
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static List<String> aptOptions(Path root, Path status) {
        return List.of("-o", "Dir=" + root, "-o", "Dir::State::status=" + status, "-o", "APT::Architecture=amd64",
                "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1", "-o", "APT::Sandbox::User=root",
                "-o", "Acquire::Languages=none", "-o", "Acquire::Check-Valid-Until=false",
                "-o", "Dir::Etc::trusted=" + root.resolve("none"), "-o", "Dir::Etc::trustedparts=" + root.resolve("none.d"));
    }

    /** apt-get update with these sources (deb822); its output, whatever its exit. */
    static String aptUpdate(String sources, Path status, Path root) throws Exception {
        for (String d : List.of("etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "var/lib/apt/lists/partial",
                "var/cache/apt/archives/partial")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("etc/apt/sources.list"), "");
        Files.writeString(root.resolve("etc/apt/sources.list.d/demi-delivered.sources"), sources);
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q"));
        cmd.addAll(aptOptions(root, status));
        cmd.add("update");
        return run(cmd);
    }

    static Set<String> aptUpgradable(String sources, Path status, Path root) throws Exception {
        String update = aptUpdate(sources, status, root);
        assertThat(update).doesNotContain("Err:", "W: GPG", "NO_PUBKEY");
        List<String> cmd = new ArrayList<>(List.of("apt"));
        cmd.addAll(aptOptions(root, status));
        cmd.addAll(List.of("list", "--upgradable"));
        Set<String> out = new TreeSet<>();
        for (String line : run(cmd).split("\n")) {
            if (line.contains("[upgradable from:")) {
                String[] f = line.split(" ");
                out.add(f[0].substring(0, f[0].indexOf('/')) + ":" + f[2]);
            }
        }
        return out;
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
