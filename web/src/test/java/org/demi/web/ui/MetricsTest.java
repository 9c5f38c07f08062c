package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.web.access.PasswordHash;
import org.demi.web.access.Role;
import org.demi.web.access.User;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics}: Prometheus' text format, figures that agree with the pages, read with an API
 * token (never anonymously on the main address), and anonymously only at the metrics address,
 * where nothing else answers.
 */
class MetricsTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static String token;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(tmp, java.util.Optional.empty(), org.demi.web.app.IndexLocation.EMBEDDED, "", true);
        web.users.put(new User("prometheus", Role.VIEWER, PasswordHash.hash("prometheus password 1", new java.security.SecureRandom())));
        StringWriter out = new StringWriter();
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(), "--data",
                web.data.toString(), "users", "token", "prometheus")).as(out.toString()).isZero();
        token = out.toString().strip();
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    static HttpResponse<String> get(String base, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one sample {@code name{labels}} in a scrape. */
    static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theMainAddressGivesThemOnlyToAUserOrToken() throws Exception {
        HttpResponse<String> anonymous = get(web.base, "/metrics", null);
        assertThat(anonymous.statusCode()).as("no session, no token: to the log-in page").isEqualTo(303);
        assertThat(anonymous.body()).doesNotContain("demi_hosts");
        assertThat(get(web.base, "/metrics", "not" + token).statusCode()).isEqualTo(401);

        HttpResponse<String> scrape = get(web.base, "/metrics", token);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(scrape.body()).contains("# TYPE demi_hosts gauge", "# HELP demi_hosts ", "jvm_memory_used_bytes{area=\"heap\"}");
    }

    @Test
    void theFiguresAreThePages() throws Exception {
        String s = get(web.base, "/metrics", token).body();
        // Three hosts, each under exactly one verdict; every verdict is a series, zero or not.
        double hosts = 0;
        for (org.demi.compliance.evaluation.Verdict v : org.demi.compliance.evaluation.Verdict.values()) {
            hosts += sample(s, "demi_hosts{verdict=\"" + v.word() + "\"}");
        }
        assertThat(hosts).isEqualTo(3);
        // As the overview counts them, from the same index.
        org.demi.index.OpenCves open = web.index.openCves();
        assertThat(open.cves()).isPositive();
        assertThat(sample(s, "demi_open_cves_distinct")).isEqualTo(open.cves());
        assertThat(sample(s, "demi_open_cves{state=\"fix-available\",urgency=\"high\"}")).isEqualTo(open.count("high", "fix-available"));
        assertThat(sample(s, "demi_pending_security_updates")).isEqualTo(
                web.index.sum(org.demi.index.SearchQuery.parse("type:host"), org.demi.index.IndexField.SECURITY_UPDATES)).isPositive();
        assertThat(sample(s, "demi_index_documents")).isEqualTo(web.index.documents()).isGreaterThan(3);
        assertThat(sample(s, "demi_index_bytes")).isPositive();
        // The fixture's lists were imported a moment ago, and none failed.
        assertThat(sample(s, "demi_advisory_feed_age_seconds{feed=\"DSA-list\"}")).isBetween(0.0, 600.0);
        assertThat(sample(s, "demi_advisory_feed_failed{feed=\"tracker-json\"}")).isZero();
        // The fixture's mirror: one verified sync of its suite, not failed.
        assertThat(s).containsPattern("(?m)^demi_mirror_sync_failed\\{suite=\"[^\"]+\",upstream=\"[^\"]+\"} 0.0$");
        // ... its snapshot published when its id says (the fixture's clock is its own).
        java.util.regex.Matcher accepted = Pattern.compile("(?m)^demi_mirror_last_accepted_sync_age_seconds\\{[^}]+} (\\S+)$").matcher(s);
        assertThat(accepted.find()).as(s).isTrue();
        String snapshot = org.demi.web.mirror.MirrorStatus.of(web.app.mirror().store(), web.app.upstreams()).get(0).snapshot();
        assertThat(Double.parseDouble(accepted.group(1))).isCloseTo(java.time.Duration.between(
                org.demi.mirror.store.Snapshot.begun(snapshot), java.time.Instant.now()).toSeconds(), org.assertj.core.data.Offset.offset(60.0));
    }

    @Test
    void pagesArePerRouteAndPushesPerOutcome() throws Exception {
        String before = get(web.base, "/metrics", token).body();
        double pagesBefore = before.contains("demi_page_seconds_count{format=\"json\",page=\"/hosts/{host}\"}")
                ? sample(before, "demi_page_seconds_count{format=\"json\",page=\"/hosts/{host}\"}") : 0;
        for (String host : new String[] {"web1", "db1", "old1"}) {
            assertThat(get(web.base, "/api/v1/hosts/" + host, token).statusCode()).isEqualTo(200);
        }
        // A push with a token that is not the host's: refused, and counted so.
        HttpResponse<String> push = HTTP.send(HttpRequest.newBuilder(URI.create(web.base + "/push/v1/hosts/web1/inventory"))
                .header("Authorization", "Bearer " + "x".repeat(43)).POST(HttpRequest.BodyPublishers.ofString("junk")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(push.statusCode()).isEqualTo(403);
        String after = get(web.base, "/metrics", token).body();
        // One series for the three hosts' pages: the route, not the path.
        assertThat(sample(after, "demi_page_seconds_count{format=\"json\",page=\"/hosts/{host}\"}") - pagesBefore).isEqualTo(3);
        assertThat(after).doesNotContain("page=\"/hosts/web1\"");
        assertThat(sample(after, "demi_pushes_total{outcome=\"refused\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theMetricsAddressAnswersAnyoneButOnlyThat() throws Exception {
        String metrics = "http://127.0.0.1:" + web.app.metricsPort().orElseThrow();
        HttpResponse<String> scrape = get(metrics, "/metrics", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("demi_hosts{verdict=");
        for (Map.Entry<String, Integer> e : Map.of("/", 404, "/api/v1/hosts", 404, "/login", 404, "/debian/", 404,
                "/push/v1/hosts/web1/inventory", 404).entrySet()) {
            HttpResponse<String> r = get(metrics, e.getKey(), token);
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.body()).as(e.getKey() + ": no page, no data").doesNotContain("openssl", "Overview", "demi_hosts");
        }
    }
}
