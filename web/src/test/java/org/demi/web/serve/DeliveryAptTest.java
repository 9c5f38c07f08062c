package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.demi.compliance.ssh.Sshd;
import org.demi.mirror.DirectoryServer;
import org.demi.mirror.TestArchive;
import org.demi.mirror.pgp.SigningKey;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivered {@code .deb}, end to end: an upstream the test builds and signs (real .deb files
 * from dpkg-deb) offers demi-hello 1.1-1 in its security suite; a host with 1.0-1 is collected
 * over a real sshd, {@code demi deliver} fetches the new .deb into the mirror and sends it with
 * the suite's files; on the host, apt (through the source {@code demi-client enroll deliver}
 * writes) takes the upgrade from the delivered tree with no network, checking the upstream's
 * signature and the .deb's hash. The same .deb with one byte flipped: apt refuses it.
 */
class DeliveryAptTest {
    @TempDir
    Path tmp;

    Path config;
    Path data;

    String demi(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--data", data.toString()));
        all.addAll(List.of(args));
        int code = Demi.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new));
        assertThat(code).as(String.join(" ", args) + "\n" + out).isZero();
        return out.toString();
    }

    static String run(List<String> cmd, boolean mustSucceed) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (mustSucceed) {
            assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        }
        return out;
    }

    byte[] deb(String version) throws Exception {
        return deb("demi-hello", version, "");
    }

    /** A real .deb of {@code name}, its control file with {@code fields} (Depends, Provides) too. */
    byte[] deb(String name, String version, String fields) throws Exception {
        Path dir = tmp.resolve("build/" + name + "/" + version);
        Files.createDirectories(dir.resolve("DEBIAN"));
        Files.createDirectories(dir.resolve("usr/share/doc/" + name));
        Files.writeString(dir.resolve("usr/share/doc/" + name + "/README"), "version " + version + "\n");
        Files.writeString(dir.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: amd64\nMaintainer: Demi Tests <tests@example.org>\n" + fields + "Description: test package\n");
        Path deb = tmp.resolve("build/" + name + "_" + version + ".deb");
        run(List.of("dpkg-deb", "--root-owner-group", "-Zxz", "--build", dir.toString(), deb.toString()), true);
        return Files.readAllBytes(deb);
    }

    @Test
    void theHostsAptInstallsTheDeliveredDebAndRefusesATamperedOne() throws Exception {
        Instant now = Instant.now();
        SigningKey key = SigningKey.generate("Demo Upstream <demo@example.org>", now.minus(Duration.ofDays(1)), null, 2048);
        Path keyring = tmp.resolve("upstream.gpg");
        Files.write(keyring, key.publicBinary());
        TestArchive archive = new TestArchive(tmp.resolve("up/demo"), key);
        archive.codename = "demo-security";
        archive.validUntil = now.plus(Duration.ofDays(7));
        archive.add(new TestArchive.Deb("demi-hello", "1.1-1", "demi-hello", deb("1.1-1")));
        // Packages the host does not have, for "demi deliver --package demi-tool": it needs demi-lib
        // and dpkg (installed); demi-lib needs demi-none (nowhere) or demi-virtual, which
        // demi-provider provides; demi-unrelated is only recommended, which the printed command's
        // --no-install-recommends lets the host do without.
        Map<String, String> fields = Map.of("demi-tool", "Depends: demi-lib (>= 1.0), dpkg\nRecommends: demi-unrelated\n",
                "demi-lib", "Depends: demi-none | demi-virtual\n", "demi-provider", "Provides: demi-virtual\n", "demi-unrelated", "");
        for (String name : List.of("demi-tool", "demi-lib", "demi-provider", "demi-unrelated")) {
            archive.add(new TestArchive.Deb(name, "1.0-1", name, deb(name, "1.0-1", fields.get(name))));
        }
        archive.packagesHook = text -> {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                text = text.replace("Package: " + f.getKey() + "\n", "Package: " + f.getKey() + "\n" + f.getValue());
            }
            return text;
        };
        archive.write(now.minus(Duration.ofMinutes(5)));
        HttpServer upstream = DirectoryServer.start(tmp.resolve("up"));
        config = tmp.resolve("etc");
        data = tmp.resolve("data");
        Files.createDirectories(config);
        Files.writeString(config.resolve("sources.list"), "deb [signed-by=" + keyring + " arch=amd64] http://127.0.0.1:"
                + upstream.getAddress().getPort() + "/demo stable-security main\n");

        // The host: release "demo", demi-hello 1.0-1 installed.
        Path host = tmp.resolve("host");
        Files.createDirectories(host);
        Files.writeString(host.resolve("os-release"), "ID=debian\nVERSION_CODENAME=demo\n");
        String stanza = "Status: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 1\n"
                + "Maintainer: Demi Tests <tests@example.org>\nArchitecture: amd64\n";
        Files.writeString(host.resolve("status"), "Package: dpkg\n" + stanza + "Version: 1.21.22\nDescription: dpkg\n\n"
                + "Package: demi-hello\n" + stanza + "Version: 1.0-1\nDescription: test package\n");
        Path repo = host.resolve("repo");
        Path client = Path.of("../client").toAbsolutePath();
        try (Sshd sshd = new Sshd(tmp.resolve("sshd"))) {
            demi("mirror", "sync");
            String serverKey = demi("hosts", "key").lines().findFirst().orElseThrow();
            sshd.authorize(serverKey, "DEMI_CLIENT_KEYRING=" + keyring + " DEMI_CLIENT_HOME=" + host + " DEMI_CLIENT_REPO=" + repo + " DEMI_INVENTORY_CLIENT="
                    + client.resolve("demi-client") + " DEMI_INVENTORY_STATUS=" + host.resolve("status") + " DEMI_INVENTORY_OS_RELEASE="
                    + host.resolve("os-release") + " sh " + client.resolve("demi-inventory"));
            demi("hosts", "add", "h1", "--address", "127.0.0.1", "--port", Integer.toString(sshd.port), "--user", "root");
            demi("hosts", "trust", "h1");
            demi("collect", "h1");
            assertThat(demi("deliver", "h1")).startsWith("h1: delivered ").doesNotContain("not in the mirror");
            assertThat(repo.resolve("demo/pool/main/d/demi-hello/demi-hello_1.1-1_amd64.deb")).exists();
            // What an administrator sees: delivered, not installed, and the command that installs it.
            com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(demi("report", "--format", "json")).at("/hosts/0");
            assertThat(report.at("/delivered_not_installed/0").asText()).startsWith("demi-hello:amd64 1.1-1 (delivered ");
            assertThat(report.get("install_command").asText())
                    .isEqualTo("apt-get update && apt-get install --only-upgrade demi-hello:amd64");
            demi("index", "rebuild");
            assertThat(demi("search", "type:host", "waiting:>0")).contains("h1");

            // A package the host does not have, with what it needs; one the mirror does not offer is named.
            String asked = demi("deliver", "h1", "--package", "demi-tool", "--package", "demi-nosuch");
            assertThat(asked).contains("with demi-tool 1.0-1, demi-lib 1.0-1, demi-provider 1.0-1 for 'apt-get update && apt-get install "
                    + "--no-install-recommends demi-tool demi-nosuch'").contains("demi-nosuch: no package of that name");
            Path pool = repo.resolve("demo/pool/main/d");
            assertThat(pool.resolve("demi-tool/demi-tool_1.0-1_amd64.deb")).exists();
            assertThat(pool.resolve("demi-lib/demi-lib_1.0-1_amd64.deb")).exists();
            assertThat(pool.resolve("demi-provider/demi-provider_1.0-1_amd64.deb")).exists();
            assertThat(pool.resolve("demi-unrelated/demi-unrelated_1.0-1_amd64.deb")).doesNotExist();
            // Asked for once, they stay in each delivery until the host has them.
            assertThat(demi("deliver", "h1")).contains("with demi-tool 1.0-1").contains("(0 sent");
            assertThat(pool.resolve("demi-tool/demi-tool_1.0-1_amd64.deb")).exists();
            // Once the host has installed it, the next collection shows nothing waiting.
            Files.writeString(host.resolve("status"), Files.readString(host.resolve("status")).replace("Version: 1.0-1", "Version: 1.1-1"));
            demi("collect", "h1");
            report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(demi("report", "--format", "json")).at("/hosts/0");
            assertThat(report.get("delivered_not_installed")).isEmpty();
            Files.writeString(host.resolve("status"), Files.readString(host.resolve("status")).replace("Version: 1.1-1", "Version: 1.0-1"));
        } finally {
            upstream.stop(0);
        }

        // The host's apt, with no network at all: the delivered tree is the only source.
        Path apt = tmp.resolve("apt");
        ProcessBuilder enroll = new ProcessBuilder("dash", client.resolve("demi-client").toString(), "enroll", "deliver", keyring.toString());
        enroll.environment().put("DEMI_CLIENT_HOME", host.toString());
        enroll.environment().put("DEMI_CLIENT_REPO", repo.toString());
        enroll.environment().put("DEMI_CLIENT_APT", apt.resolve("etc/apt").toString());
        Process e = enroll.redirectErrorStream(true).start();
        String enrolled = new String(e.getInputStream().readAllBytes());
        assertThat(e.waitFor()).as(enrolled).isZero();
        for (String d : List.of("etc/apt/preferences.d", "etc/apt/apt.conf.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial")) {
            Files.createDirectories(apt.resolve(d));
        }
        Files.writeString(apt.resolve("etc/apt/sources.list"), "");
        List<String> common = List.of("apt-get", "-q", "-o", "Dir=" + apt, "-o", "Dir::State::status=" + host.resolve("status"),
                "-o", "APT::Architecture=amd64", "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1",
                "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none", "-o", "Dir::Etc::trusted=" + apt.resolve("none"),
                "-o", "Dir::Etc::trustedparts=" + apt.resolve("none.d"));
        List<String> update = new ArrayList<>(common);
        update.add("update");
        assertThat(run(update, true)).doesNotContain("Err:");
        List<String> upgrade = new ArrayList<>(common);
        upgrade.addAll(List.of("install", "--only-upgrade", "--download-only", "-y", "demi-hello"));
        assertThat(run(upgrade, true)).contains("demi-hello amd64 1.1-1", "Download complete");
        List<String> install = new ArrayList<>(common);
        install.addAll(List.of("install", "--no-install-recommends", "--download-only", "-y", "demi-tool"));
        assertThat(run(install, true)).contains("demi-tool amd64 1.0-1", "demi-lib amd64 1.0-1", "demi-provider amd64 1.0-1",
                "Download complete");

        // The same .deb with one byte flipped: apt (its file method hashes the file in place) refuses it.
        Path deb = repo.toRealPath().resolve("demo/pool/main/d/demi-hello/demi-hello_1.1-1_amd64.deb");
        byte[] b = Files.readAllBytes(deb);
        b[b.length / 2] ^= 1;
        Files.delete(deb); // a hard link the host's tree shares: replace it rather than write through it
        Files.write(deb, b);
        String refused = run(upgrade, false);
        assertThat(refused).containsAnyOf("Hash Sum mismatch", "Hashes of expected file", "hash sum mismatch")
                .doesNotContain("Download complete");
    }
}
