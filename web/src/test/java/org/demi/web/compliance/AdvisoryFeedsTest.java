package org.demi.web.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker's lists fetched from a local upstream, the failures named, and the warnings every page shows. */
class AdvisoryFeedsTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedFetchIsNamedKeptAndWarnedOfAndAnOldListToo() throws Exception {
        byte[] dsa = Files.readAllBytes(Fixtures.path("tracker/DSA-list"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/DSA/list", ex -> {
            ex.sendResponseHeaders(200, dsa.length);
            ex.getResponseBody().write(dsa);
            ex.close();
        });
        server.createContext("/DLA/list", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            AdvisoryFeeds feeds = new AdvisoryFeeds(tmp.resolve("advisories"), Clock.systemUTC());
            // Out of the box: nothing held, and every page says so.
            assertThat(feeds.warnings()).hasSize(3).allMatch(w -> w.startsWith("No ") && w.contains("demi advisories import"))
                    .anyMatch(w -> w.startsWith("No CVE data of the security tracker (its JSON) loaded"));

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int[] r = feeds.sync(new AdvisoryFeeds.Sources(base + "/DSA/list", base + "/DLA/list", "none"), new PrintWriter(out),
                    new PrintWriter(err));
            assertThat(r).containsExactly(1, 1);
            assertThat(out.toString()).startsWith("DSA-list: ").contains("advisories from " + base + "/DSA/list");
            // The URL and the reason, and no "previous list stays" when there is none.
            assertThat(err.toString()).contains("DLA-list: the fetch failed: " + base + "/DLA/list: HTTP 503")
                    .contains("no list is held").doesNotContain("previous list stays");
            assertThat(feeds.warnings()).filteredOn(w -> w.contains("DLA")).singleElement().satisfies(w -> assertThat(w)
                    .startsWith("No Debian LTS Advisories (DLA list) loaded")
                    .contains("Its last fetch failed at ").contains(base + "/DLA/list: HTTP 503")
                    .contains("demi advisories import FILE"));

            // A list that fails later keeps the one held, and says so; the banner gives its age.
            server.removeContext("/DSA/list");
            StringWriter err2 = new StringWriter();
            feeds.sync(new AdvisoryFeeds.Sources(base + "/DSA/list", "none", "none"), new PrintWriter(new StringWriter()), new PrintWriter(err2));
            assertThat(err2.toString()).contains(base + "/DSA/list: not found (HTTP 404)").contains("the previous list stays");
            assertThat(feeds.warnings()).anySatisfy(w -> assertThat(w).startsWith("The Debian Security Advisories (DSA list) is 0 h old")
                    .contains("Its last fetch failed"));

            // An import clears the failure; a list loaded three days ago is old.
            new AdvisoryFeeds(tmp.resolve("advisories"), Clock.systemUTC()).install(dsa, "a file", null, new PrintWriter(new StringWriter()));
            Files.setLastModifiedTime(tmp.resolve("advisories/DSA-list"), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
            assertThat(feeds.warnings()).anySatisfy(w -> assertThat(w).startsWith("The Debian Security Advisories (DSA list) is 3 days old")
                    .doesNotContain("failed"));
        } finally {
            server.stop(0);
        }
    }
}
