package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.Tokens;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.demi.deb.Fixtures;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.OnDemandPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demi-client (the host side of enrolment) under dash, in directories of its own, against a real demi serve for push. */
class DemiClientTest {
    @TempDir
    Path tmp;

    record Run(int code, String out) {
    }

    Run client(String stdin, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dash", Path.of("../client/demi-client").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("DEMI_CLIENT_HOME", tmp.resolve("home").toString());
        env.put("DEMI_CLIENT_ETC", tmp.resolve("etc").toString());
        env.put("DEMI_CLIENT_APT", tmp.resolve("apt").toString());
        env.put("DEMI_CLIENT_INVENTORY", Path.of("../client/demi-inventory").toAbsolutePath().toString());
        env.put("DEMI_INVENTORY_STATUS", Fixtures.path("hosts/trixie-minbase/status").toAbsolutePath().toString());
        env.put("DEMI_INVENTORY_OS_RELEASE", Fixtures.path("hosts/trixie-minbase/os-release").toAbsolutePath().toString());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theServersKeyMayRunTheInventoryProgramAndNothingElse() throws Exception {
        Path key = tmp.resolve("server.pub");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "demi@server", "-f",
                tmp.resolve("server").toString()).redirectErrorStream(true).start();
        assertThat(kg.waitFor()).isZero();
        Path keys = tmp.resolve("home/.ssh/authorized_keys");
        Files.createDirectories(keys.getParent());
        Files.writeString(keys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheAdmin admin@laptop\n");

        assertThat(client("", "enroll", "ssh", key.toString()).code()).isZero();
        assertThat(client("", "enroll", "ssh", key.toString()).code()).as("again: replaced, not added").isZero();
        List<String> lines = Files.readAllLines(keys);
        String pub = Files.readString(key).strip();
        assertThat(lines).containsExactly("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheAdmin admin@laptop",
                "# demi-client: the Demi server's key", "restrict,command=\"/usr/bin/demi-inventory\" " + pub);
        assertThat(client("", "status").out()).contains("ssh: enrolled", "push: no", "apt: no");

        // A key line that brings its own options, or a second key, or something else, is refused.
        for (String bad : List.of("command=\"/bin/sh\" " + pub, pub + "\n" + pub, "no-pty " + pub, "ssh-ed25519 AAAA$(reboot) x",
                "<html>")) {
            Files.writeString(tmp.resolve("bad.pub"), bad + "\n");
            Run r = client("", "enroll", "ssh", tmp.resolve("bad.pub").toString());
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.out()).startsWith("demi-client: ");
        }
        assertThat(Files.readAllLines(keys)).hasSize(3);

        assertThat(client("", "unenroll").code()).isZero();
        assertThat(Files.readAllLines(keys)).containsExactly("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheAdmin admin@laptop");
    }

    @Test
    void pushSendsTheInventoryThenOnlyItsChecksum() throws Exception {
        InventoryStore store = new InventoryStore(tmp.resolve("data"), Clock.systemUTC());
        Tokens tokens = Tokens.forPushHosts(tmp.resolve("data/keys/push-tokens"));
        List<HostSpec> hosts = List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH));
        MirrorStore mirror = new MirrorStore(tmp.resolve("data"), Clock.systemUTC());
        Server server = DemiServer.build(Network.of(new InetSocketAddress("127.0.0.1", 0)), mirror, new OnDemandPool(mirror, Map.of(), u -> null, org.demi.mirror.fetch.TransferLimits.DEFAULT),
                java.util.Optional.of(new DemiServer.Push(name -> hosts.stream().filter(h -> h.host().equals(name)).findFirst(), tokens, store)), java.util.Optional.empty());
        server.start();
        try {
            String url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            String token = tokens.issue("laptop");
            assertThat(client("not a token\n", "enroll", "push", url, "laptop").code()).isEqualTo(2);
            assertThat(client(token + "\n", "enroll", "push", "ftp://x/", "laptop").code()).isEqualTo(2);
            Run first = client(token + "\n", "enroll", "push", url, "laptop");
            assertThat(first.out()).as(first.out()).startsWith("stored ");
            assertThat(first.code()).isZero();
            assertThat(Files.getPosixFilePermissions(tmp.resolve("etc/push.conf")))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            assertThat(client("", "push").out().strip()).isEqualTo("unchanged");
            assertThat(store.lastEntry("laptop").orElseThrow().outcome()).isEqualTo(Outcome.UNCHANGED);
            // Another host's name with this token: the server refuses, and so the push fails.
            Files.writeString(tmp.resolve("etc/push.conf"), Files.readString(tmp.resolve("etc/push.conf")).replace("HOST=laptop", "HOST=kiosk"));
            assertThat(client("", "push").code()).isNotZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void aptIsPointedAtTheServerWithItsKeyOnly() throws Exception {
        Path key = tmp.resolve("demi-archive-key.asc");
        Files.writeString(key, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF...\n-----END PGP PUBLIC KEY BLOCK-----\n");
        assertThat(client("", "enroll", "apt", "http://demi.example:8080", "debian-security", "bookworm-security", key.toString()).code())
                .isZero();
        String sources = Files.readString(tmp.resolve("apt/sources.list.d/demi.sources"));
        assertThat(sources).contains("URIs: http://demi.example:8080/debian/debian-security\n", "Suites: bookworm-security\n",
                "Signed-By: " + tmp.resolve("apt/keyrings/demi.asc") + "\n");
        assertThat(Files.readString(tmp.resolve("apt/keyrings/demi.asc"))).isEqualTo(Files.readString(key));
        assertThat(client("", "enroll", "apt", "http://x'y", "debian-security", "bookworm-security", key.toString()).code()).isEqualTo(2);
        assertThat(client("", "enroll", "apt", "http://x", "debian-security", "bookworm-security", "/etc/hostname").code()).isEqualTo(2);
        assertThat(client("", "unenroll").code()).isZero();
        assertThat(tmp.resolve("apt/sources.list.d/demi.sources")).doesNotExist();
        assertThat(client("", "enroll", "nothing").code()).isEqualTo(2);
    }
}
