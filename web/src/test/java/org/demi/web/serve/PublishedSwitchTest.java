package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.Pool;
import org.demi.mirror.store.Snapshot;
import org.demi.mirror.sync.OnDemandPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are cached by the snapshot they belong to: when {@code published/<upstream>} is
 * switched to a new snapshot, the very next request must get the new snapshot's bytes, and a
 * retired snapshot's files are no longer reachable.
 */
class PublishedSwitchTest {
    @TempDir
    Path data;

    private Snapshot snapshot(MirrorStore store, String release, String packages) throws Exception {
        MirrorStore.Builder b = store.begin("debian-security");
        for (Map.Entry<String, String> f : Map.of("dists/s/InRelease", release, "dists/s/main/binary-amd64/Packages", packages).entrySet()) {
            byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
            String sha = Pool.sha256(bytes);
            store.pool().store(bytes);
            b.link(f.getKey(), sha, bytes.length);
        }
        return b.commit();
    }

    @Test
    void theNextRequestAfterASwitchGetsTheNewSnapshot() throws Exception {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        MirrorStore first = new MirrorStore(data, Clock.fixed(t, ZoneOffset.UTC));
        first.publish(snapshot(first, "release one\n", "packages one\n"));
        Server server = DemiServer.build(Network.of(new java.net.InetSocketAddress("127.0.0.1", 0)), first,
                new OnDemandPool(first, Map.of(), u -> null, org.demi.mirror.fetch.TransferLimits.DEFAULT), java.util.Optional.empty(), java.util.Optional.empty());
        server.start();
        try {
            String base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                    + "/debian/debian-security/";
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) { // fill the cache
                assertThat(get(http, base + "dists/s/InRelease").body()).isEqualTo("release one\n");
            }
            MirrorStore second = new MirrorStore(data, Clock.fixed(t.plus(Duration.ofHours(1)), ZoneOffset.UTC));
            second.publish(snapshot(second, "release two, longer than one\n", "packages one\n"));
            HttpResponse<String> after = get(http, base + "dists/s/InRelease");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("release two, longer than one\n");
            assertThat(after.headers().firstValueAsLong("Content-Length")).hasValue(29);
            assertThat(get(http, base + "dists/s/main/binary-amd64/Packages").body()).isEqualTo("packages one\n");

            second.sweep("debian-security", 1);
            assertThat(second.snapshots("debian-security")).hasSize(1);
            assertThat(get(http, base + "dists/s/InRelease").body()).isEqualTo("release two, longer than one\n");
            assertThat(get(http, base + "dists/s/Missing").statusCode()).isEqualTo(404);
            assertThat(get(http, "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                    + "/debian/no-such-upstream/dists/s/InRelease").statusCode()).isEqualTo(404);
        } finally {
            server.stop();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
