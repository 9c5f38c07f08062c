package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.deb.Fixtures;
import org.demi.index.SearchQuery;
import org.demi.web.app.Application;
import org.demi.web.app.Configuration;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosts an administrator most needs to see: declared, but with no fresh inventory. Before,
 * they were only in {@code demi report}; the index, the pages, the counts and the API did not
 * know them. Now each is there with its verdict and why.
 */
class NeverCollectedTest {
    @TempDir
    Path tmp;

    @Test
    void everyDeclaredHostIsSeenWithItsVerdictAndWhy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed
        }
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(
                new HostSpec("ghost", "127.0.0.1", closed, null, List.of("core"), CollectMethod.SSH),
                new HostSpec("quiet", null, 22, null, List.of("dmz"), CollectMethod.PUSH),
                new HostSpec("old", null, 22, null, List.of("dmz"), CollectMethod.PUSH),
                new HostSpec("laptop", null, 22, null, List.of("dmz"), CollectMethod.PUSH)));
        Inventory inv = Inventory.of(Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/os-release")),
                Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/status")));
        Instant threeDaysAgo = Instant.now().minus(Duration.ofDays(3));
        new InventoryStore(data, Clock.fixed(threeDaysAgo, ZoneOffset.UTC)).accept("old", "push", inv);
        new InventoryStore(data, Clock.systemUTC()).accept("laptop", "push", inv);

        StringWriter log = new StringWriter();
        Configuration c = new Configuration(config, data, tmp.resolve("root"), tmp.resolve("no-apt"), Clock.systemUTC());
        try (Application app = Application.build(c, new Application.Options(org.demi.web.serve.Network.of(
                new InetSocketAddress("127.0.0.1", 0)), Duration.ZERO, Duration.ZERO, Duration.ofHours(1)),
                new PrintWriter(log), new PrintWriter(log))) {
            app.start();
            app.collect(); // ghost: connection refused
            app.indexer().flush();

            assertThat(app.index().count(SearchQuery.parse("type:host"))).isEqualTo(4);
            assertThat(hosts(app, "type:host verdict:unreachable")).containsExactly("ghost");
            assertThat(hosts(app, "type:host verdict:never-collected")).containsExactly("quiet");
            assertThat(hosts(app, "type:host verdict:stale")).containsExactly("old");

            WebFixture.Browser b = new WebFixture.Browser("http://127.0.0.1:" + app.port());
            assertThat(b.logIn("admin", app.firstRunPassword().orElseThrow()).statusCode()).isEqualTo(303);
            JsonNode overview = new ObjectMapper().readTree(b.get("/api/v1").body());
            assertThat(overview.at("/facts/0/label").asText()).isEqualTo("Hosts managed");
            assertThat(overview.at("/facts/0/value").asText()).isEqualTo("4");

            JsonNode list = new ObjectMapper().readTree(b.get("/api/v1/hosts?sort=host").body()).at("/tables/0");
            assertThat(list.get("total").asInt()).isEqualTo(4);
            String page = b.get("/hosts").body();
            assertThat(page).contains("ghost", "quiet", "old", "never-collected", "has never pushed an inventory");

            String ghost = b.get("/hosts/ghost").body();
            assertThat(ghost).contains("unreachable").containsPattern("unreachable at [0-9T:.-]+Z: [^<]*(refused|connect)");
            assertThat(b.get("/hosts/quiet").statusCode()).isEqualTo(200);
            assertThat(b.get("/hosts/old").body()).contains("stale", "no inventory since");
        }

        // The command line searches the same index.
        StringWriter out = new StringWriter();
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", config.toString(), "--data", data.toString(),
                "search", "type:host", "verdict:unreachable")).as(out.toString()).isZero();
        assertThat(out.toString()).contains("ghost");
    }

    private static List<String> hosts(Application app, String query) throws Exception {
        return app.index().search(SearchQuery.parse(query), 0, 10).rows().stream()
                .map(r -> r.get(org.demi.index.IndexField.HOST)).toList();
    }
}
