package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.demi.deb.Fixtures;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CVE audit as every interface gives it, for the same hosts and the same tracker data
 * ({@link WebFixture#TRACKER_JSON}): {@code demi report}, {@code demi inspect}, {@code demi search},
 * the pages and the JSON API agree on each open CVE's state.
 */
class CveAuditPagesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** web1's open CVEs and their states, as the fixture's data reasons them. */
    static final Map<String, String> WEB1 = new TreeMap<>(Map.of("CVE-2026-1001", "fix-available", "CVE-2026-1002",
            "fix-not-in-mirror", "CVE-2026-1007", "no-fix", "TEMP-0000000-A1B2C3", "undetermined"));

    @TempDir
    static Path tmp;
    static WebFixture fx;
    static WebFixture.Browser b;

    @BeforeAll
    static void start() throws Exception {
        fx = new WebFixture(tmp);
        b = new WebFixture.Browser(fx.base);
        b.logIn("alice", WebFixture.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    static String demi(String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--config";
        all[1] = fx.config.toString();
        all[2] = "--data";
        all[3] = fx.data.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        int code = Demi.run(new PrintWriter(out), new PrintWriter(out), all);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    static Map<String, String> states(JsonNode rows, String id, String state) {
        Map<String, String> out = new TreeMap<>();
        rows.forEach(r -> {
            String s = r.path(state).asText();
            if (!s.equals("fixed") && !s.equals("not-affected")) {
                JsonNode ids = r.path(id);
                out.put(ids.isArray() ? ids.get(0).asText() : ids.asText(), s);
            }
        });
        return out;
    }

    /** A CVE's page counts the hosts the CVE list counts, and the installed packages the list it links to holds. */
    @Test
    void aCvesPageCountsTheHostsTheCveListDoesAndThePackagesItLinksTo() throws Exception {
        JsonNode rows = JSON.readTree(b.get("/api/v1/cves").body()).at("/tables/0/rows");
        assertThat(rows.size()).isPositive();
        for (JsonNode row : rows) {
            String cve = row.get("cve").asText();
            JsonNode facts = JSON.readTree(b.get("/api/v1/cves/" + cve).body()).get("facts");
            long hostsOpen = -1;
            long packagesOpen = -1;
            for (JsonNode f : facts) {
                if (f.get("label").asText().equals("Hosts open")) {
                    hostsOpen = f.get("value").asLong();
                }
                if (f.get("label").asText().equals("Installed packages open")) {
                    packagesOpen = f.get("value").asLong();
                }
            }
            assertThat(hostsOpen).as(cve).isEqualTo(row.get("hosts").asLong()).isPositive();
            long listed = JSON.readTree(b.get("/api/v1/packages?q=cve:" + cve).body()).at("/tables/0/total").asLong();
            assertThat(packagesOpen).as(cve).isEqualTo(listed).isPositive();
        }
    }

    @Test
    void reportInspectSearchPagesAndApiAgree() throws Exception {
        JsonNode report = JSON.readTree(demi("report", "--format", "json"));
        JsonNode web1 = null;
        for (JsonNode h : report.path("hosts")) {
            if (h.path("host").asText().equals("web1")) {
                web1 = h;
            }
        }
        assertThat(web1).isNotNull();
        assertThat(states(web1.path("cves"), "id", "state")).isEqualTo(WEB1);
        // Every CVE of an installed source is there, the fixed one too, with the tracker's words.
        assertThat(web1.path("cves").findValuesAsText("state")).contains("fixed");
        assertThat(web1.path("cve_states").path("fix-available").asInt()).isEqualTo(1);

        Path status = Fixtures.path("hosts/bookworm-minbase/status").toAbsolutePath();
        JsonNode inspect = JSON.readTree(demi("inspect", status.toString(), "--format", "json"));
        assertThat(states(inspect.path("cves"), "id", "state")).isEqualTo(WEB1);

        fx.index.commit(); // as the server does every few seconds: demi search reads what was committed
        JsonNode search = JSON.readTree(demi("search", "type:cve", "host:web1", "--format", "json"));
        assertThat(states(search.path("rows"), "cve", "cve_state")).isEqualTo(WEB1);

        String page = b.get("/hosts/web1").body();
        WEB1.forEach((id, state) -> assertThat(page).contains(id).contains(state));

        JsonNode api = JSON.readTree(b.get("/api/v1/hosts/web1").body());
        JsonNode cves = null;
        for (JsonNode t : api.path("tables")) {
            if (t.path("id").asText().equals("cves")) {
                cves = t.path("rows");
            }
        }
        assertThat(cves).isNotNull();
        assertThat(states(cves, "cve", "cve_state")).isEqualTo(WEB1);
    }

    @Test
    void theCveListCountsHostsByStateAndTheCvePageShowsTheTrackersStatus() throws Exception {
        JsonNode list = JSON.readTree(b.get("/api/v1/cves").body()).at("/tables/0/rows");
        JsonNode first = list.get(0);
        // Open on all three hosts, with a fix available on each: the most widespread.
        assertThat(first.path("cve").asText()).isEqualTo("CVE-2026-1001");
        assertThat(first.path("hosts").asInt()).isEqualTo(3);
        assertThat(first.path("fix-available").asInt()).isEqualTo(3);
        assertThat(first.path("urgency").asText()).isEqualTo("high");

        JsonNode cve = JSON.readTree(b.get("/api/v1/cves/CVE-2026-1002").body());
        String text = cve.toString();
        assertThat(text).contains("not affected", "3.0.30-1~deb12u1", "security-tracker.debian.org/tracker/CVE-2026-1002");
        // Open on the two bookworm hosts only, the fix not in the mirror.
        JsonNode hosts = cve.at("/tables/0/rows");
        assertThat(hosts).hasSize(2);
        assertThat(hosts.findValuesAsText("cve_state")).containsOnly("fix-not-in-mirror");

        // One query for the auditor's question: hosts with a remote, high-urgency CVE that has a fix available.
        JsonNode remote = JSON.readTree(b.get("/api/v1/hosts?q=" + java.net.URLEncoder.encode(
                "cve_state:fix-available urgency:high scope:remote", java.nio.charset.StandardCharsets.UTF_8)).body());
        assertThat(remote.at("/tables/0/rows").findValuesAsText("host")).containsExactlyInAnyOrder("web1", "db1", "old1");
        JsonNode low = JSON.readTree(b.get("/api/v1/hosts?q=" + java.net.URLEncoder.encode(
                "urgency:low scope:remote", java.nio.charset.StandardCharsets.UTF_8)).body());
        assertThat(low.at("/tables/0/rows")).as("perl's low CVE is local").isEmpty();

        assertThat(b.get("/cves/CVE-1999-0001").statusCode()).isEqualTo(404);
        assertThat(b.get("/").body()).contains("Open CVEs", "Mean time to remediate");
    }
}
