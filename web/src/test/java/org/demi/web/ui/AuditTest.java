package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.demi.web.access.AuditEvent;
import org.demi.web.access.AuditLog;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log: log-ins (good and bad, with the address), users changed on the web, and the
 * demi command's changes are appended as they happen, with who, when, from where; admins read
 * it at /audit (filtered, as CSV), viewers do not; {@code demi audit} prints the same; a line
 * torn by a crash loses nothing after it.
 */
class AuditTest {
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

    static String demi(int expected, String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("--config", web.config.toString(), "--data", web.data.toString()));
        all.addAll(List.of(args));
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new))).as(out.toString()).isEqualTo(expected);
        return out.toString();
    }

    static List<AuditEvent> log() throws Exception {
        return new AuditLog(web.data, java.time.Clock.systemUTC()).read();
    }

    @Test
    void logInsAndTheWebsChangesAreRecordedWithTheirAddress() throws Exception {
        int before = log().size();
        WebFixture.Browser mallory = web.browser();
        assertThat(mallory.logIn("alice", "not the password").statusCode()).isEqualTo(401);
        WebFixture.Browser alice = web.browser();
        assertThat(alice.logIn("alice", WebFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(303);
        String csrf = WebFixture.csrf(alice.get("/users").body());
        assertThat(alice.post("/users/add", Map.of("csrf", csrf, "user", "carol", "role", "viewer", "password", "carol's long password"))
                .statusCode()).isEqualTo(200);

        List<AuditEvent> added = log().subList(before, log().size());
        assertThat(added).extracting(AuditEvent::action, AuditEvent::subject, AuditEvent::outcome, AuditEvent::from, AuditEvent::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("login", "alice", "failed", "127.0.0.1", "alice"),
                        org.assertj.core.groups.Tuple.tuple("login", "alice", "ok", "127.0.0.1", "alice"),
                        org.assertj.core.groups.Tuple.tuple("users add (viewer)", "carol", "ok", "127.0.0.1", "alice"));
        // The password typed is nowhere in the log.
        assertThat(Files.readString(web.data.resolve("audit/log"))).doesNotContain("not the password", "carol's long password");
        assertThat(Files.getPosixFilePermissions(web.data.resolve("audit/log")))
                .doesNotContain(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
    }

    @Test
    void theCommandLinesChangesAreRecordedAndItsReadingIsNot() throws Exception {
        int before = log().size();
        String token = demi(0, "users", "token", "alice").strip();
        demi(0, "users", "list");
        demi(2, "hosts", "add", "bad host name!");
        demi(2, "hosts", "add"); // does not parse: nothing ran
        demi(0, "hosts", "add", "web9", "--collect", "push", "--group", "dmz");
        List<AuditEvent> added = log().subList(before, log().size());
        assertThat(added).extracting(AuditEvent::action, AuditEvent::subject, AuditEvent::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("users token", "alice", "ok"),
                org.assertj.core.groups.Tuple.tuple("hosts add", "bad host name!", "failed (exit 2)"),
                org.assertj.core.groups.Tuple.tuple("hosts add", "web9", "ok"));
        assertThat(added).allSatisfy(e -> {
            assertThat(e.from()).startsWith("command line");
            assertThat(e.actor()).isNotEmpty();
        });
        assertThat(added.get(2).detail()).contains("--collect push --group dmz");
        // The token printed is not in the log.
        assertThat(token).hasSizeGreaterThan(20);
        assertThat(Files.readString(web.data.resolve("audit/log"))).doesNotContain(token);
    }

    @Test
    void adminsReadItFilteredAndAsCsvViewersDoNot() throws Exception {
        WebFixture.Browser bad = web.browser();
        bad.logIn("nobody", "wrong password 123");
        WebFixture.Browser alice = web.browser();
        alice.logIn("alice", WebFixture.ADMIN_PASSWORD);
        HttpResponse<String> page = alice.get("/audit?q=action:login+outcome:failed");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Audit log", "nobody").doesNotContain(">ok<");
        HttpResponse<String> csv = alice.get("/audit?q=action:login+outcome:failed&format=csv");
        assertThat(csv.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("time,actor,from,action,subject,outcome,detail");
        assertThat(lines.subList(1, lines.size())).isNotEmpty().allSatisfy(l -> assertThat(l).contains(",login,").contains(",failed,"));
        // Newest first: the JSON's times never increase.
        JsonNode json = new ObjectMapper().readTree(alice.get("/api/v1/audit").body());
        for (int i = 1; i < json.size(); i++) {
            assertThat(json.get(i).get("time").asText()).isLessThanOrEqualTo(json.get(i - 1).get("time").asText());
        }
        assertThat(alice.get("/audit?q=time:").statusCode()).as("a field without a value").isEqualTo(400);

        WebFixture.Browser victor = web.browser();
        victor.logIn("victor", WebFixture.VIEWER_PASSWORD);
        assertThat(victor.get("/audit").statusCode()).isEqualTo(403);
        assertThat(victor.get("/api/v1/audit").body()).doesNotContain("nobody");
        assertThat(web.browser().get("/audit").statusCode()).as("no session").isEqualTo(303);

        String printed = demi(0, "audit", "action:login", "nobody", "--format", "csv");
        assertThat(printed.lines().toList()).hasSizeGreaterThan(1).first().isEqualTo("time,actor,from,action,subject,outcome,detail");
        assertThat(demi(0, "audit", "--limit", "1").lines().count()).isEqualTo(2);
        assertThat(demi(2, "audit", "--format", "xml")).contains("--format is text, csv or json");
    }

    @Test
    void aLineTornByACrashLosesNothingAfterIt() throws Exception {
        AuditLog audit = new AuditLog(web.data, java.time.Clock.systemUTC());
        audit.record("x", "test", "first", "", "ok", "");
        Files.writeString(web.data.resolve("audit/log"), "{\"time\":\"2026-12-0", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        audit.record("x", "test", "after the tear", "", "ok", "");
        List<AuditEvent> all = audit.read();
        assertThat(all.get(all.size() - 1).action()).isEqualTo("after the tear");
        assertThat(all.get(all.size() - 2).action()).isEqualTo("first");
    }
}
