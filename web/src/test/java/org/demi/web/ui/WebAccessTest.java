package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing but log-in is reachable without a session; forms need their CSRF token; roles hold; headers are set. */
class WebAccessTest {
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

    static final List<String> PAGES = List.of("/", "/hosts", "/hosts/web1", "/hosts/web1?q=state:not-in-archive&sort=-version",
            "/packages", "/packages/openssl", "/advisories", "/advisories/DSA-5343-1", "/cves/CVE-2023-0286", "/mirror", "/users",
            "/hosts?format=csv", "/no-such-page");

    @Test
    void everyPageWithoutASessionRedirectsToLogInAndTheApiAnswers401() throws Exception {
        var anonymous = web.browser();
        for (String page : PAGES) {
            HttpResponse<String> r = anonymous.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("location").orElseThrow()).as(page).startsWith("/login?next=");
            assertThat(r.body()).as(page).doesNotContain("web1", "openssl");
        }
        for (String page : List.of("/api/v1", "/api/v1/", "/api/v1/hosts", "/api/v1/hosts/web1", "/api/v1/advisories")) {
            HttpResponse<String> r = anonymous.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(401);
            assertThat(r.body()).doesNotContain("web1");
        }
        // A POST without a session changes nothing and says so.
        assertThat(anonymous.post("/users/add", Map.of("user", "mallory", "role", "admin", "password", "xxxxxxxxxxxxxxxx"))
                .statusCode()).isEqualTo(403);
        assertThat(web.users.find("mallory")).isEmpty();
        // The log-in page and the style sheet are open; the apt repository is not the web's to guard.
        assertThat(anonymous.get("/login").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/static/demi.css").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/debian/demi-archive-key.asc").statusCode()).isNotEqualTo(303);
    }

    @Test
    void logInNeedsTheRightPasswordAndTheFormsOwnToken() throws Exception {
        var b = web.browser();
        assertThat(b.logIn("alice", "wrong password!").statusCode()).isEqualTo(401);
        assertThat(b.cookies).doesNotContainKey(Cookies.SESSION);
        assertThat(b.logIn("nobody", WebFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(401);
        // A log-in form posted from elsewhere has no token bound to this browser's cookie.
        var other = web.browser();
        HttpResponse<String> forged = other.post("/login", Map.of("csrf", "forged", "user", "alice", "password", WebFixture.ADMIN_PASSWORD));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(other.cookies).doesNotContainKey(Cookies.SESSION);

        HttpResponse<String> ok = b.logIn("alice", WebFixture.ADMIN_PASSWORD);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("location")).contains("/");
        String cookie = ok.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(Cookies.SESSION + "="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/");
        assertThat(b.get("/hosts").statusCode()).isEqualTo(200);
        assertThat(b.get("/api/v1/hosts").statusCode()).isEqualTo(200);
    }

    @Test
    void aLogInRedirectGoesOnlyToAPathOnThisServer() throws Exception {
        var b = web.browser();
        String form = b.get("/login?next=/hosts/web1").body();
        assertThat(form).contains("value=\"/hosts/web1\"");
        HttpResponse<String> r = b.post("/login", Map.of("csrf", WebFixture.csrf(form), "user", "alice",
                "password", WebFixture.ADMIN_PASSWORD, "next", "//evil.example/"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("location")).contains("/");
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        var b = web.browser();
        b.logIn("alice", WebFixture.ADMIN_PASSWORD);
        assertThat(b.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(b.post("/logout", Map.of("csrf", "not-the-token")).statusCode()).isEqualTo(403);
        assertThat(b.post("/users/add", Map.of("user", "mallory", "role", "admin", "password", "long enough password")).statusCode())
                .isEqualTo(403);
        assertThat(web.users.find("mallory")).isEmpty();
        assertThat(b.get("/hosts").statusCode()).as("still logged in").isEqualTo(200);

        String token = WebFixture.csrf(b.get("/").body());
        HttpResponse<String> out = b.post("/logout", Map.of("csrf", token));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(b.get("/hosts").statusCode()).isEqualTo(303);
    }

    @Test
    void onlyAnAdminManagesUsersAndARemovedUsersSessionEnds() throws Exception {
        var viewer = web.browser();
        viewer.logIn("victor", WebFixture.VIEWER_PASSWORD);
        assertThat(viewer.get("/hosts").statusCode()).isEqualTo(200);
        String token = WebFixture.csrf(viewer.get("/").body());
        assertThat(viewer.get("/users").statusCode()).isEqualTo(403);
        assertThat(viewer.post("/users/add", Map.of("csrf", token, "user", "mallory", "role", "admin",
                "password", "long enough password")).statusCode()).isEqualTo(403);
        assertThat(web.users.find("mallory")).isEmpty();

        var admin = web.browser();
        admin.logIn("alice", WebFixture.ADMIN_PASSWORD);
        String adminToken = WebFixture.csrf(admin.get("/users").body());
        HttpResponse<String> added = admin.post("/users/add", Map.of("csrf", adminToken, "user", "carol", "role", "viewer",
                "password", "short"));
        assertThat(added.body()).contains("at least 12 characters");
        assertThat(web.users.find("carol")).isEmpty();
        admin.post("/users/add", Map.of("csrf", adminToken, "user", "carol", "role", "viewer", "password", "carols password"));
        assertThat(web.users.find("carol")).isPresent();
        var carol = web.browser();
        assertThat(carol.logIn("carol", "carols password").statusCode()).isEqualTo(303);
        assertThat(carol.get("/hosts").statusCode()).isEqualTo(200);
        // Removed (here on the web; demi users remove edits the same file): the next request finds no session.
        admin.post("/users/remove", Map.of("csrf", adminToken, "user", "carol"));
        assertThat(carol.get("/hosts").statusCode()).isEqualTo(303);
        web.users.remove("carol");
    }

    /**
     * A password changed beside the running server (what {@code demi users add} does: it rewrites
     * the users file) ends the sessions opened with the old one; the new password logs in.
     */
    @Test
    void aNewPasswordEndsTheSessionsOfTheOldOne() throws Exception {
        web.users.put(new org.demi.web.access.User("dave", org.demi.web.access.Role.VIEWER,
                org.demi.web.access.PasswordHash.hash("daves old password", new java.security.SecureRandom())));
        var dave = web.browser();
        assertThat(dave.logIn("dave", "daves old password").statusCode()).isEqualTo(303);
        assertThat(dave.get("/hosts").statusCode()).isEqualTo(200);
        web.users.put(new org.demi.web.access.User("dave", org.demi.web.access.Role.VIEWER,
                org.demi.web.access.PasswordHash.hash("daves new password", new java.security.SecureRandom())));
        assertThat(dave.get("/hosts").statusCode()).isEqualTo(303);
        assertThat(dave.get("/api/v1/hosts").statusCode()).isEqualTo(401);
        var again = web.browser();
        assertThat(again.logIn("dave", "daves new password").statusCode()).isEqualTo(303);
        assertThat(again.get("/hosts").statusCode()).isEqualTo(200);
        web.users.remove("dave");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        var b = web.browser();
        b.logIn("alice", WebFixture.ADMIN_PASSWORD);
        for (String page : List.of("/login", "/hosts", "/api/v1/hosts")) {
            var h = (page.equals("/login") ? web.browser().get(page) : b.get(page)).headers();
            assertThat(h.firstValue("content-security-policy")).as(page).hasValue(SecurityHeaders.CSP);
            assertThat(h.firstValue("x-content-type-options")).as(page).contains("nosniff");
            assertThat(h.firstValue("x-frame-options")).as(page).contains("DENY");
            assertThat(h.firstValue("cache-control")).as(page).contains("no-store");
        }
    }

    /**
     * Beyond the pages: every kind of answer the server gives, the apt repository's, the push
     * endpoint's and Jetty's own errors too, says {@code nosniff} and names no server software.
     */
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

    /**
     * Scripts read with an API token instead of scraping the log-in form: it reads what its
     * user may read, submits no form (no way round the CSRF check), and a new token, like the
     * user's removal, revokes the old.
     */
    @Test
    void anApiTokenReadsAsItsUserAndSubmitsNothing() throws Exception {
        web.users.put(new org.demi.web.access.User("scripter", org.demi.web.access.Role.ADMIN,
                org.demi.web.access.PasswordHash.hash("scripter password 1", new java.security.SecureRandom())));
        java.io.StringWriter out = new java.io.StringWriter();
        assertThat(org.demi.web.cli.Demi.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "--config",
                web.config.toString(), "--data", web.data.toString(), "users", "token", "scripter")).as(out.toString()).isZero();
        String token = out.toString().strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(java.nio.file.Files.readString(web.data.resolve("keys/api-tokens"))).doesNotContain(token);

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, HttpResponse<String>> get = (path, bearer) -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.base + path))
                        .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        HttpResponse<String> hosts = get.apply("/api/v1/hosts", token);
        assertThat(hosts.statusCode()).isEqualTo(200);
        assertThat(hosts.body()).contains("web1", "db1", "old1");
        assertThat(get.apply("/users", token).statusCode()).as("an admin's token reads the users page").isEqualTo(200);
        assertThat(get.apply("/api/v1/hosts", "x" + token).statusCode()).isEqualTo(401);

        HttpResponse<String> form = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.base + "/users/add"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("user=mallory&role=admin&password=long+enough+password"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("an API token reads");
        assertThat(web.users.find("mallory")).isEmpty();

        // A new token revokes the old; removing the user revokes the new one.
        String second = web.users.apiTokens().issue("scripter");
        assertThat(get.apply("/api/v1/hosts", token).statusCode()).isEqualTo(401);
        assertThat(get.apply("/api/v1/hosts", second).statusCode()).isEqualTo(200);
        web.users.remove("scripter");
        assertThat(get.apply("/api/v1/hosts", second).statusCode()).isEqualTo(401);
    }
}
