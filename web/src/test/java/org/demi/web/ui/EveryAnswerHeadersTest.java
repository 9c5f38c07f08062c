package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of answer the server gives, the apt repository's, the push endpoint's, the web's
 * and Jetty's own errors, says {@code nosniff} and names no server software.
 */
class EveryAnswerHeadersTest {
    @TempDir
    static Path tmp;
    static WebFixture web;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    @Test
    void everyAnswerSaysNosniffAndNoServer() throws Exception {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("GET /debian/debian/dists/bookworm/InRelease", 200);
        expected.put("HEAD /debian/debian/dists/bookworm/InRelease", 200);
        expected.put("GET /debian/debian/dists/nosuch/InRelease", 404);
        expected.put("GET /debian/debian/pool/main/n/nosuch/nosuch_1.0_all.deb", 404);
        expected.put("GET /debian/", 403); // no directory listings
        expected.put("GET /push/v1/hosts/web1/inventory", 405);
        expected.put("POST /push/v1/hosts/web1/inventory", 401);
        expected.put("POST /push/nonsense", 404);
        expected.put("GET /login", 200);
        expected.put("GET /hosts", 303);
        expected.put("GET /api/v1/hosts", 401);
        expected.put("PUT /hosts", 405);
        expected.put("GET /static/demi.css", 200);
        HttpClient http = HttpClient.newHttpClient();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String[] m = e.getKey().split(" ", 2);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(web.base + m[1]))
                    .method(m[0], HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.headers().firstValue("x-content-type-options")).as(e.getKey()).hasValue("nosniff");
            assertThat(r.headers().firstValue("server")).as(e.getKey()).isEmpty();
        }
    }
}
