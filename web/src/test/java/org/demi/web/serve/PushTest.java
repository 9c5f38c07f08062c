package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.Tokens;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.demi.deb.Fixtures;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.OnDemandPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push hosts send demi-inventory's stream with real curl; each token opens its own host's door only. */
class PushTest {
    @TempDir
    Path tmp;
    Server server;
    String base;
    InventoryStore store;
    Tokens tokens;

    @BeforeEach
    void start() throws Exception {
        store = new InventoryStore(tmp.resolve("data"), Clock.systemUTC());
        tokens = Tokens.forPushHosts(tmp.resolve("data/keys/push-tokens"));
        List<HostSpec> hosts = List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH),
                new HostSpec("kiosk", null, 22, null, List.of(), CollectMethod.PUSH),
                new HostSpec("web1", null, 22, null, List.of(), CollectMethod.SSH));
        MirrorStore mirror = new MirrorStore(tmp.resolve("data"), Clock.systemUTC());
        server = DemiServer.build(Network.of(new InetSocketAddress("127.0.0.1", 0)), mirror, new OnDemandPool(mirror, java.util.Map.of(), u -> null, org.demi.mirror.fetch.TransferLimits.DEFAULT),
                java.util.Optional.of(new DemiServer.Push(name -> hosts.stream().filter(h -> h.host().equals(name)).findFirst(), tokens, store)), java.util.Optional.empty());
        server.start();
        base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/push/v1/hosts/";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    /** Runs a shell pipeline; returns "HTTP-CODE body". */
    static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\n", "").strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    String push(String host, String token, String what, String body) throws Exception {
        String env = "DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/trixie-minbase/status").toAbsolutePath()
                + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/trixie-minbase/os-release").toAbsolutePath() + " ";
        String client = env + "sh " + Path.of("../client/demi-inventory").toAbsolutePath();
        String source = switch (body) {
            case "inventory" -> client;
            case "checksum" -> client + " --checksum";
            default -> "printf '%s' '" + body + "'";
        };
        List<String> auth = new ArrayList<>();
        if (token != null) {
            auth.add("-H 'Authorization: Bearer " + token + "'");
        }
        return sh(source + " | curl -s -w ' %{http_code}' " + String.join(" ", auth) + " --data-binary @- " + base + host + "/" + what);
    }

    @Test
    void aHostPushesItsOwnInventoryAndNothingElse() throws Exception {
        String laptop = tokens.issue("laptop");
        String kiosk = tokens.issue("kiosk");

        assertThat(push("laptop", laptop, "checksum", "checksum")).isEqualTo("send 200");
        String stored = push("laptop", laptop, "inventory", "inventory");
        assertThat(stored).startsWith("stored ").endsWith(" 200");
        assertThat(store.latest("laptop").orElseThrow().inventory().statusBytes())
                .isEqualTo(Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/status")));
        assertThat(push("laptop", laptop, "checksum", "checksum")).isEqualTo("unchanged 200");
        assertThat(push("laptop", laptop, "inventory", "inventory")).isEqualTo("unchanged 200");

        // Another host's token, no token, a wrong one, a host that is not a push host: refused, nothing written.
        assertThat(push("laptop", kiosk, "inventory", "inventory")).endsWith(" 403");
        assertThat(push("laptop", null, "inventory", "inventory")).endsWith(" 401");
        assertThat(push("laptop", "x" + laptop, "inventory", "inventory")).endsWith(" 403");
        assertThat(push("web1", laptop, "inventory", "inventory")).endsWith(" 403");
        assertThat(store.history("kiosk")).isEmpty();
        assertThat(store.history("web1")).isEmpty();

        // A body that is not an inventory is rejected with the reason and recorded; the last good one stays.
        assertThat(push("laptop", laptop, "inventory", "<html>hello</html>")).isEqualTo("rejected: not a gzip stream: Not in GZIP format 400");
        assertThat(store.history("laptop")).extracting(HistoryEntry::outcome)
                .containsExactly(Outcome.STORED, Outcome.UNCHANGED, Outcome.UNCHANGED, Outcome.REJECTED);
        assertThat(store.latest("laptop").orElseThrow().received().outcome()).isEqualTo(Outcome.UNCHANGED);

        // A new token revokes the old one.
        String again = tokens.issue("laptop");
        assertThat(push("laptop", laptop, "checksum", "checksum")).endsWith(" 403");
        assertThat(push("laptop", again, "checksum", "checksum")).isEqualTo("unchanged 200");
        assertThat(sh("curl -s -w ' %{http_code}' " + base + "laptop/inventory")).endsWith(" 405");
    }

    /**
     * A push that arrives when the server's disk is full is not the host's fault: 503 with a
     * plain reason and Retry-After (it was 500 with a Java exception's text), logged; the
     * previous inventory stays, and the next push after space is freed is stored.
     */
    @Test
    void aPushOnAFullDiskIs503WithAPlainReason() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path small = tmp.resolve("small");
        Files.createDirectories(small);
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()).inheritIO().start().waitFor())
                .isZero();
        try {
            InventoryStore full = new InventoryStore(small.resolve("data"), Clock.systemUTC());
            Tokens fullTokens = Tokens.forPushHosts(small.resolve("data/keys/push-tokens"));
            String token = fullTokens.issue("laptop");
            List<HostSpec> hosts = List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH));
            MirrorStore mirror = new MirrorStore(small.resolve("data"), Clock.systemUTC());
            Server s = DemiServer.build(Network.of(new InetSocketAddress("127.0.0.1", 0)), mirror,
                    new OnDemandPool(mirror, java.util.Map.of(), u -> null, org.demi.mirror.fetch.TransferLimits.DEFAULT),
                    java.util.Optional.of(new DemiServer.Push(name -> hosts.stream().filter(h -> h.host().equals(name)).findFirst(), fullTokens, full)), java.util.Optional.empty());
            s.start();
            try {
                base = "http://127.0.0.1:" + ((ServerConnector) s.getConnectors()[0]).getLocalPort() + "/push/v1/hosts/";
                // Fill the disk to the last byte.
                try (java.io.OutputStream out = Files.newOutputStream(small.resolve("filler"))) {
                    byte[] block = new byte[4096];
                    while (true) {
                        out.write(block);
                    }
                } catch (java.io.IOException e) {
                    assertThat(e.getMessage()).contains("No space left on device");
                }
                String answer = sh("DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/trixie-minbase/status").toAbsolutePath()
                        + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/trixie-minbase/os-release").toAbsolutePath()
                        + " sh " + Path.of("../client/demi-inventory").toAbsolutePath() + " | curl -s -D - -o - -w ' %{http_code}' "
                        + "-H 'Authorization: Bearer " + token + "' --data-binary @- " + base + "laptop/inventory");
                assertThat(answer).endsWith(" 503").contains("Retry-After: 60")
                        .contains("the server could not store the inventory now (no space left on the server's disk); try again later")
                        .doesNotContain("Exception").doesNotContain("java.");
                assertThat(full.latest("laptop")).isEmpty();

                Files.delete(small.resolve("filler"));
                assertThat(push("laptop", token, "inventory", "inventory")).startsWith("stored ").endsWith(" 200");
            } finally {
                s.stop();
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
    }
}
