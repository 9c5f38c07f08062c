package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.demi.index.SearchQuery;
import org.demi.web.cli.Demi;
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.mirror.MirrorStatus;
import org.demi.web.notify.FleetEvents;
import org.demi.web.notify.Notifier;
import org.demi.web.notify.WebhookChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications against a real SMTP server on loopback (GreenMail), a local webhook receiver
 * that checks the signature, and a receiver that is down: a new recipient hears what is open
 * as a count; a CVE that opens later is announced once, with its hosts, to those whose urgency
 * it reaches; nothing is repeated, by a later round or after a restart; the receiver that is
 * down is tried again with back-off and the failure recorded, without holding up the round.
 */
class NotifyTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static GreenMail smtp;
    static HttpServer receiver;
    static final List<Map.Entry<String, byte[]>> HOOKS = new CopyOnWriteArrayList<>();
    static final String SECRET = "a shared secret of some length";
    static int down;
    static Path notifyFile;
    static Path notifyData;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(tmp);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            HOOKS.add(Map.entry(String.valueOf(x.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE)), body));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        receiver.start();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            down = s.getLocalPort(); // closed again: nothing listens there
        }
        notifyFile = tmp.resolve("notify-config/notify");
        notifyData = tmp.resolve("notify-data");
        // Beside the server's own configuration, so that its own notifier (a round a minute) has nobody to tell.
        Files.createDirectories(notifyFile.getParent());
        Files.writeString(notifyFile.resolveSibling("webhook.secret"), SECRET + "\n");
        Files.writeString(notifyFile, """
                Mail: secops@example.org
                SMTP: 127.0.0.1:%d
                From: demi@demi.example.org
                Urgency: high

                Webhook: http://127.0.0.1:%d/hook
                Secret-File: webhook.secret
                Urgency: low
                Events: cve advisory sync-failed

                Webhook: http://127.0.0.1:%d/hook
                Secret-File: webhook.secret
                Events: cve
                """.formatted(smtp.getSmtp().getPort(), receiver.getAddress().getPort(), down));
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.stop(0);
        smtp.stop();
        web.close();
    }

    static MirrorStatus.Source mirrorStatus() {
        return () -> MirrorStatus.of(web.app.mirror().store(), web.app.upstreams());
    }

    static Notifier notifier() {
        return new Notifier(notifyFile, new FleetEvents(web.index, mirrorStatus(),
                new AdvisoryFeeds(web.data.resolve("advisories"), Clock.systemUTC()), Clock.systemUTC()), notifyData,
                "demi.example.org", Clock.systemUTC(), new Notifier.Backoff(Duration.ofMillis(300), 3));
    }

    static void within(Duration limit, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("not within " + limit).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void announcedOnceSignedAndRetriedWhenDown() throws Exception {
        Notifier first = notifier();
        // Three recipients new to the file: each hears once what is open now, as a count.
        assertThat(first.round()).isEqualTo(3);
        assertThat(first.pending()).as("the receiver that is down is still being tried: the round did not wait").isPositive();
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("[demi] Notifications start; open now: ").contains(" cve");
        within(Duration.ofSeconds(10), () -> HOOKS.size() == 1);
        assertThat(first.round()).as("nothing new").isZero();

        // Two CVEs open on the fixture's openssl: a high one and a low one.
        Path json = tmp.resolve("tracker.json");
        Files.writeString(json, WebFixture.TRACKER_JSON.replace("""
                {"openssl": {""", """
                {"openssl": {
                   "CVE-2026-2001": {"scope": "remote", "description": "New and high (constructed test data).",
                     "releases": {"bookworm": {"status": "open", "urgency": "high"}}},
                   "CVE-2026-2002": {"scope": "local", "description": "New and low (constructed test data).",
                     "releases": {"bookworm": {"status": "open", "urgency": "low"}}},"""));
        StringWriter out = new StringWriter();
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(), "--data",
                web.data.toString(), "advisories", "import", json.toString())).as(out.toString()).isZero();
        within(Duration.ofSeconds(30), () -> web.index.cveTallies(SearchQuery.parse("type:cve cve:CVE-2026-2002")).containsKey("CVE-2026-2002"));

        int hooksBefore = HOOKS.size();
        // Mail (high and above): the high one; the webhook that takes low: both; the one down
        // (medium and above, by default): the high one, tried in vain.
        assertThat(first.round()).isEqualTo(1 + 2 + 1);
        assertThat(smtp.waitForIncomingEmail(10_000, 2)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[1];
        assertThat(mail.getSubject()).isEqualTo("[demi] CVE-2026-2001 (high) is open on 2 hosts");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("secops@example.org");
        String text = ((String) mail.getContent());
        assertThat(text).contains("web1", "db1").doesNotContain("old1"); // bookworm's, not bullseye's
        within(Duration.ofSeconds(10), () -> HOOKS.size() == hooksBefore + 2);
        ObjectMapper json2 = new ObjectMapper();
        List<String> subjects = new java.util.ArrayList<>();
        for (Map.Entry<String, byte[]> hook : HOOKS.subList(hooksBefore, HOOKS.size())) {
            assertThat(hook.getKey()).as("signed with the shared secret")
                    .isEqualTo(WebhookChannel.signature(SECRET.getBytes(StandardCharsets.UTF_8), hook.getValue()));
            JsonNode m = json2.readTree(hook.getValue());
            assertThat(m.get("kind").asText()).isEqualTo("cve");
            subjects.add(m.get("subject").asText());
            assertThat(m.get("events").get(0).get("hosts").toString()).contains("web1", "db1");
        }
        assertThat(subjects).containsExactlyInAnyOrder("CVE-2026-2001 (high) is open on 2 hosts", "CVE-2026-2002 (low) is open on 2 hosts");

        // The receiver that is down: three tries each (the start message and the CVE), then the
        // failures are recorded.
        within(Duration.ofSeconds(20), () -> first.pending() == 0);
        List<String> failed = Files.readAllLines(notifyData.resolve("failed"));
        assertThat(failed).hasSize(2).allSatisfy(l -> assertThat(l).contains("webhook http://127.0.0.1:" + down + "/hook")
                .doesNotContain(SECRET));
        assertThat(failed.get(1)).contains("CVE-2026-2001").doesNotContain("CVE-2026-2002");

        // Never the same open state twice: not by the next round, not after a restart.
        assertThat(first.round()).isZero();
        first.close();
        Notifier restarted = notifier();
        assertThat(restarted.round()).isZero();
        restarted.close();
        assertThat(smtp.getReceivedMessages()).hasSize(2);
    }

    @Test
    void aNotifyFileThatDoesNotParseIsRefusedNamingTheLine() throws Exception {
        Path bad = tmp.resolve("bad/notify");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "Mail: ops@example.org\n\nWebhook: ftp://example.org/x\nSecret-File: s\n");
        Notifier n = new Notifier(bad, new FleetEvents(web.index, mirrorStatus(), new AdvisoryFeeds(web.data.resolve("advisories"),
                Clock.systemUTC()), Clock.systemUTC()), tmp.resolve("bad-data"), "x", Clock.systemUTC(), Notifier.Backoff.DEFAULT);
        assertThatThrownBy(n::round).hasMessageContaining(bad.toString()).hasMessageContaining("3").hasMessageContaining("http(s) URL");
        Files.writeString(bad, "Mail: ops@example.org\nEvents: cve floods\n");
        assertThatThrownBy(n::round).hasMessageContaining("not an event: 'floods'");
        Files.writeString(bad, "Mail: ops@example.org\nWebhook: http://127.0.0.1/x\n");
        assertThatThrownBy(n::round).hasMessageContaining("one of the two");
        assertThat(tmp.resolve("bad-data/announced")).doesNotExist();
        n.close();
    }
}
