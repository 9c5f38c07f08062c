package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.Inventory;
import org.demi.deb.Fixtures;
import org.demi.index.SearchQuery;
import org.demi.web.app.Application;
import org.demi.web.app.Configuration;
import org.demi.web.cli.Demi;
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.serve.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} fetches the tracker's lists itself at start, every page warns of a list that is
 * missing or failed, and what another process changes beside the running server (an advisory
 * list imported, a host added, a host collected) reaches the pages within seconds. Before, nothing loaded the
 * lists ("Open advisories 0" beside pending security updates, and no warning), and such
 * changes showed only after the next collection or a restart.
 */
class BesideTheServerTest {
    @TempDir
    Path tmp;

    @Test
    void theServerFetchesTheListsWarnsOfTheMissingOneAndSeesChangesMadeBesideIt() throws Exception {
        byte[] dsa = Files.readAllBytes(Fixtures.path("tracker/DSA-list"));
        HttpServer tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tracker.createContext("/data/DSA/list", ex -> {
            ex.sendResponseHeaders(200, dsa.length);
            ex.getResponseBody().write(dsa);
            ex.close();
        });
        tracker.start();
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH)));
        // bullseye with openssl set back below DSA-5343-1's fix.
        String status = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"))
                .replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3");
        Inventory inv = Inventory.of(Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release")),
                status.getBytes(StandardCharsets.UTF_8));
        String base = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/data/";
        StringWriter log = new StringWriter();
        Configuration c = new Configuration(config, data, tmp.resolve("root"), tmp.resolve("no-apt"), Clock.systemUTC());
        try (Application app = Application.build(c, new Application.Options(Network.of(new InetSocketAddress("127.0.0.1", 0)),
                Duration.ZERO, Duration.ZERO, Duration.ofHours(1), Duration.ofHours(6),
                new AdvisoryFeeds.Sources(base + "DSA/list", base + "DLA/list", "none"), org.demi.web.app.IndexLocation.EMBEDDED), new PrintWriter(log), new PrintWriter(log))) {
            app.compliance().inventories().accept("laptop", "push", inv);
            app.start();
            within(Duration.ofSeconds(30), () -> app.index().count(SearchQuery.parse("type:host host:laptop advisory:DSA-5343-1")) == 1);

            WebFixture.Browser b = new WebFixture.Browser("http://127.0.0.1:" + app.port());
            assertThat(b.logIn("admin", app.firstRunPassword().orElseThrow()).statusCode()).isEqualTo(303);
            String overview = b.get("/").body();
            assertThat(overview).contains("class=\"banner\"").contains("No Debian LTS Advisories (DLA list) loaded")
                    .contains(base + "DLA/list: not found (HTTP 404)").contains("demi advisories import FILE")
                    .doesNotContain("No Debian Security Advisories");

            // Beside the server, as an administrator would: a DSA list without DSA-5343-1, and a new host.
            Path edited = tmp.resolve("DSA-list");
            String without = new String(dsa, StandardCharsets.UTF_8).replace("[07 Feb 2023] DSA-5343-1 openssl - security update\n"
                    + "\t{CVE-2022-2097 CVE-2022-4304 CVE-2022-4450 CVE-2023-0215 CVE-2023-0286}\n"
                    + "\t[bullseye] - openssl 1.1.1n-0+deb11u4\n", "");
            Files.writeString(edited, without);
            assertThat(Files.readString(edited)).doesNotContain("DSA-5343-1");
            assertThat(demi(config, data, "advisories", "import", edited.toString())).isZero();
            assertThat(demi(config, data, "hosts", "add", "kiosk", "--collect", "push")).isZero();
            within(Duration.ofSeconds(15), () -> app.index().count(SearchQuery.parse("type:host host:laptop advisory:DSA-5343-1")) == 0
                    && b.get("/hosts").body().contains("kiosk"));
            assertThat(b.get("/hosts/kiosk").body()).contains("never-collected");

            // This machine, collected by a demi collect beside the server (which collects nothing
            // itself here): the server indexes it within seconds, not at its own next collection.
            Path root = c.localRoot();
            Files.createDirectories(root.resolve("etc"));
            Files.createDirectories(root.resolve("var/lib/dpkg"));
            Files.copy(Fixtures.path("hosts/bullseye-minbase/os-release"), root.resolve("etc/os-release"));
            Files.writeString(root.resolve("var/lib/dpkg/status"), status);
            assertThat(demi(config, data, "hosts", "add", "box", "--collect", "local")).isZero();
            within(Duration.ofSeconds(15), () -> b.get("/hosts").body().contains("box"));
            assertThat(app.index().count(SearchQuery.parse("type:package host:box"))).isZero();
            assertThat(demi(config, data, "--local-root", root.toString(), "collect", "box")).isZero();
            within(Duration.ofSeconds(15), () -> app.index().count(SearchQuery.parse("type:package host:box package:openssl")) == 1);
            assertThat(b.get("/hosts/box").body()).doesNotContain("never-collected").contains("bullseye").contains("3.118+deb11u1");
        } finally {
            tracker.stop(0);
        }
    }

    private static int demi(Path config, Path data, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--config", config.toString(), "--data", data.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        return Demi.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new));
    }

    private static void within(Duration limit, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("not within " + limit).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
