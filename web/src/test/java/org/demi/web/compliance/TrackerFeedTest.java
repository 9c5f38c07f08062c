package org.demi.web.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.demi.deb.BadInputException;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker's JSON as a feed: fetched from a local upstream into place, imported compressed,
 * and refused (the held one kept, the failure noted for the banner) when it is HTML, a gzip bomb,
 * older than the held one, or implausibly smaller.
 */
class TrackerFeedTest {
    @TempDir
    Path tmp;

    /** A feed of {@code n} CVEs of one source in the given releases, numbered from CVE-2026-1000. */
    static String feed(int n, String... releases) {
        StringBuilder b = new StringBuilder("{\"openssl\": {");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"CVE-2026-").append(1000 + i).append("\": {\"releases\": {");
            for (int r = 0; r < releases.length; r++) {
                b.append(r == 0 ? "" : ",").append('"').append(releases[r]).append("\": {\"status\": \"open\", \"urgency\": \"low\"}");
            }
            b.append("}}");
        }
        return b.append("}}").toString();
    }

    static String sync(AdvisoryFeeds feeds, String url) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            feeds.sync(new AdvisoryFeeds.Sources("none", "none", url), new PrintWriter(out), new PrintWriter(err));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out + err.toString();
    }

    @Test
    void aFetchedFeedIsInstalledAndABadOneKeepsIt() throws Exception {
        AtomicReference<byte[]> served = new AtomicReference<>(feed(100, "bookworm", "trixie").getBytes(StandardCharsets.UTF_8));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tracker/data/json", ex -> {
            byte[] b = served.get();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        Path dir = tmp.resolve("advisories");
        Instant t0 = Instant.parse("2026-11-30T08:00:00Z");
        AdvisoryFeeds feeds = new AdvisoryFeeds(dir, Clock.fixed(t0, ZoneOffset.UTC));
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/tracker/data/json";
        try {
            assertThat(sync(feeds, url)).contains("tracker-json: 100 CVEs over 100 source entries, releases bookworm trixie",
                    "(100 new)");
            assertThat(Files.readString(dir.resolve("cve-first-seen"))).contains("CVE-2026-1000\t2026-11-30T08:00:00Z");
            byte[] good = Files.readAllBytes(dir.resolve("tracker-json"));

            // A later feed with two more CVEs: only those are new, first seen now.
            AdvisoryFeeds later = new AdvisoryFeeds(dir, Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC));
            served.set(feed(102, "bookworm", "trixie").getBytes(StandardCharsets.UTF_8));
            assertThat(sync(later, url)).contains("(2 new)");
            assertThat(AdvisoryFeeds.readFirstSeen(dir)).containsEntry("CVE-2026-1000", t0)
                    .containsEntry("CVE-2026-1101", t0.plusSeconds(3600));
            good = Files.readAllBytes(dir.resolve("tracker-json"));

            // A captive portal's page: refused, named, the held feed stays and the banner says so.
            served.set("<!DOCTYPE html><html><title>Log in</title></html>".getBytes(StandardCharsets.UTF_8));
            assertThat(sync(later, url)).contains("tracker-json: the fetch failed: " + url + ": an HTML or XML page",
                    "the previous feed stays");
            assertThat(Files.readAllBytes(dir.resolve("tracker-json"))).isEqualTo(good);
            assertThat(later.warnings()).anySatisfy(w -> assertThat(w).startsWith("The CVE data of the security tracker (its JSON)")
                    .contains("Its last fetch failed").contains("an HTML or XML page"));

            // An older copy: it lacks the newest CVEs the held one has.
            served.set(feed(90, "bookworm", "trixie").getBytes(StandardCharsets.UTF_8));
            assertThat(sync(later, url)).contains("refused: older than the held feed (its newest CVE is CVE-2026-1089",
                    "12 newer ones, up to CVE-2026-1101");
            // A release disappears.
            served.set(feed(102, "bookworm").getBytes(StandardCharsets.UTF_8));
            assertThat(sync(later, url)).contains("refused: release trixie is missing");
            assertThat(Files.readAllBytes(dir.resolve("tracker-json"))).isEqualTo(good);

            // A gzip bomb: 2 MB sent, 600 MB of blanks inside; cut at the parser's document limit.
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(bomb)) {
                gz.write("{\"openssl\": {".getBytes(StandardCharsets.UTF_8));
                byte[] blanks = new byte[1 << 20];
                java.util.Arrays.fill(blanks, (byte) ' ');
                for (int i = 0; i < 600; i++) {
                    gz.write(blanks);
                }
            }
            served.set(bomb.toByteArray());
            assertThat(sync(later, url)).contains("Document length", "the previous feed stays");
            assertThat(Files.readAllBytes(dir.resolve("tracker-json"))).isEqualTo(good);
            assertThat(Files.list(dir)).noneMatch(p -> p.getFileName().toString().contains(".tmp-"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anImportIsToldFromAListByItsContentCompressedOrNot() throws Exception {
        AdvisoryFeeds feeds = new AdvisoryFeeds(tmp.resolve("advisories"), Clock.systemUTC());
        Path gz = tmp.resolve("json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(Fixtures.path("tracker/tracker-json-excerpt.json")));
        }
        PrintWriter err = new PrintWriter(new StringWriter());
        assertThat(feeds.install(gz, gz.toString(), err)).startsWith("tracker-json: 6 CVEs over 6 source entries");
        assertThat(feeds.install(Fixtures.path("tracker/DSA-list"), "DSA-list", err)).startsWith("DSA-list: ");
        // A page saved in place of a feed is named as one, whatever the file is called.
        Path page = tmp.resolve("tracker.json");
        Files.writeString(page, "\n<html><body>Log in</body></html>\n");
        assertThatThrownBy(() -> feeds.install(page, page.toString(), err)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("an HTML or XML page, not a DSA or DLA list nor the tracker's JSON");
        // A feed implausibly smaller than the held one: the excerpt cut to one source.
        Path small = tmp.resolve("small.json");
        Files.writeString(small, "{\"txt2man\": {\"CVE-2013-1444\": {\"releases\": {\"stretch\": {\"status\": \"open\"},"
                + " \"jessie\": {\"status\": \"open\"}, \"buster\": {\"status\": \"open\"}, \"sid\": {\"status\": \"open\"},"
                + " \"bookworm\": {\"status\": \"open\"}, \"bullseye\": {\"status\": \"open\"}}}}}");
        assertThatThrownBy(() -> feeds.install(small, small.toString(), err)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("1 source entries where the held feed has 6 (more than a fifth fewer)");
    }
}
