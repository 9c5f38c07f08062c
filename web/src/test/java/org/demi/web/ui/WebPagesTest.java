package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages, their JSON twins and exports show what the index holds, filtered and sorted as asked, escaped. */
class WebPagesTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static WebFixture.Browser b;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(tmp);
        b = web.browser();
        assertThat(b.logIn("victor", WebFixture.VIEWER_PASSWORD).statusCode()).isEqualTo(303);
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    /** What a host says of its running kernel and restarts is on its page, as the index holds it from its latest inventory. */
    @Test
    void theHostPageShowsTheRunningSystem() throws Exception {
        org.demi.compliance.inventory.Inventory now = web.setup.inventories().latest("db1").orElseThrow().inventory();
        assertThat(b.get("/hosts/db1").body()).doesNotContain("Running kernel");
        web.app.compliance().inventories().accept("db1", "push", org.demi.compliance.inventory.Inventory.of(now.osReleaseBytes(), now.statusBytes(),
                ("Kernel-Release: 6.1.0-18-amd64\nKernel-Version: #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)\n"
                        + "Boot-Time: 1764666000\nReboot-Required: yes\nReboot-Required-Packages: linux-image-6.1.0-28-amd64\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "NEEDRESTART-KEXP: 6.1.0-28-amd64\nNEEDRESTART-KSTA: 3\nNEEDRESTART-SVC: ssh.service\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        web.app.indexer().flush();
        String page = b.get("/hosts/db1").body();
        assertThat(page).contains("Running kernel", "6.1.0-18-amd64 (#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01))",
                "2025-12-02T09:00:00Z", "/run/reboot-required, for linux-image-6.1.0-28-amd64",
                "needrestart: a kernel upgrade is pending, expects 6.1.0-28-amd64", "ssh.service");
    }

    @Test
    void aDescriptionHoldingAScriptIsShownAsText() throws Exception {
        for (String page : List.of("/hosts/web1?q=package:evil-tool", "/packages/evil-tool", "/packages?q=evil")) {
            String html = b.get(page).body();
            assertThat(html).as(page).doesNotContain("<script>", "alert('pwned')</script>");
            assertThat(html).as(page).contains("&lt;script&gt;alert(");
            // Written to the wire as UTF-8 as the page is rendered: letters beyond ASCII, one beyond
            // the 16-bit plane (a surrogate pair in Java) among them, arrive as they were written.
            assertThat(html).as(page).contains("na\u00efve \u2603 \ud834\udd1e");
        }
        JsonNode api = JSON.readTree(b.get("/api/v1/packages/evil-tool").body());
        assertThat(api.at("/tables/0/rows/0/description").asText()).isEqualTo(WebFixture.EVIL);
    }

    @Test
    void theOverviewCountsTheFleet() throws Exception {
        JsonNode o = JSON.readTree(b.get("/api/v1/").body());
        assertThat(o.at("/facts/0/label").asText()).isEqualTo("Hosts managed");
        assertThat(o.at("/facts/0/value").asInt()).isEqualTo(3);
        long installed = web.index.count(org.demi.index.SearchQuery.parse(""));
        assertThat(o.at("/facts/1/value").asLong()).isEqualTo(installed).isGreaterThan(300);
        // openssl set back on the bullseye host opens DSA-5343-1 there, and nowhere else.
        assertThat(o.at("/facts/4/value").asInt()).isEqualTo(1);
        assertThat(o.at("/tables/0/rows/0/advisory").asText()).isEqualTo("DSA-5343-1");
        assertThat(o.at("/tables/0/rows/0/hosts").asInt()).isEqualTo(1);
        long security = web.index.count(org.demi.index.SearchQuery.parse("state:security-update"));
        assertThat(o.at("/facts/3/value").asLong()).isEqualTo(security).isPositive();
        // The open CVEs are figures kept as hosts are indexed: they agree with a count over the CVE documents, and the CVE list.
        int openCves = web.index.search(org.demi.index.SearchQuery.parse("type:cve"), 0, 0, Integer.MAX_VALUE).facets().get("cve").size();
        assertThat(o.at("/facts/5/label").asText()).isEqualTo("Open CVEs");
        assertThat(o.at("/facts/5/value").asInt()).isEqualTo(openCves).isPositive();
        assertThat(JSON.readTree(b.get("/api/v1/cves").body()).at("/tables/0/total").asInt()).isEqualTo(openCves);
        assertThat(b.get("/").body()).contains("Hosts in the worst state", "web1", "db1", "old1");
        // The chart replays the histories: the hosts arrived today, too little for a plot; today's figure is given.
        assertThat(o.at("/charts/0/bars")).isEmpty();
        assertThat(o.at("/charts/0/note").asText()).startsWith("History has been kept since ")
                .endsWith("Today 1 advisories are open on 1 of 3 hosts.");
        assertThat(b.get("/").body()).doesNotContain("<svg");
    }

    @Test
    void aHostsSecurityUpdatesShowTheirVersionsAndStandOut() throws Exception {
        JsonNode t = JSON.readTree(b.get("/api/v1/hosts/old1?q=state:security-update&sort=package").body()).at("/tables/0");
        assertThat(t.get("total").asInt()).isEqualTo(53);
        JsonNode openssl = null;
        for (JsonNode r : t.get("rows")) {
            assertThat(r.get("state").asText()).isEqualTo("security-update");
            if (r.get("package").asText().equals("openssl")) {
                openssl = r;
            }
        }
        assertThat(openssl).isNotNull();
        assertThat(openssl.get("version").asText()).isEqualTo("1.1.1n-0+deb11u3");
        assertThat(openssl.get("security_version").asText()).isEqualTo("1.1.1w-0+deb11u8");
        assertThat(openssl.get("advisory").get(0).asText()).isEqualTo("DSA-5343-1");
        String html = b.get("/hosts/old1?q=package:openssl").body();
        assertThat(html).contains("class=\"col-state tone-security-update\"><span>security-update</span>");
    }

    @Test
    void theHostsTableFiltersAndSortsOnItsColumns() throws Exception {
        JsonNode all = JSON.readTree(b.get("/api/v1/hosts?sort=-packages").body()).at("/tables/0");
        assertThat(all.get("total").asInt()).isEqualTo(3);
        List<Integer> counts = new ArrayList<>();
        all.get("rows").forEach(r -> counts.add(r.get("packages").asInt()));
        assertThat(counts).isSortedAccordingTo((x, y) -> Integer.compare(y, x));
        assertThat(all.at("/rows/0/host").asText()).isEqualTo("db1"); // the dev machine has the most

        JsonNode core = JSON.readTree(b.get("/api/v1/hosts?q=group:core&sort=host").body()).at("/tables/0");
        assertThat(core.get("total").asInt()).isEqualTo(2);
        assertThat(core.at("/rows/0/host").asText()).isEqualTo("db1");
        assertThat(core.at("/rows/1/host").asText()).isEqualTo("old1");
        assertThat(core.at("/facets/release/bullseye").asInt()).isEqualTo(1);

        String html = b.get("/hosts?q=release:bullseye").body();
        assertThat(html).contains("href=\"/hosts/old1\"").doesNotContain("href=\"/hosts/web1\"");
        // The column heading sorts, keeping the filter.
        assertThat(html).contains("href=\"/hosts?q=release%3Abullseye&amp;sort=-host\"");
    }

    @Test
    void aHostsPageListsItsOwnPackagesOnlyWhateverTheSearchBoxSays() throws Exception {
        JsonNode t = JSON.readTree(b.get("/api/v1/hosts/web1?q=host:db1").body()).at("/tables/0");
        assertThat(t.get("total").asInt()).isZero();
        JsonNode libc = JSON.readTree(b.get("/api/v1/hosts/web1?q=package:libc*&sort=-package").body()).at("/tables/0");
        List<String> names = new ArrayList<>();
        libc.get("rows").forEach(r -> {
            assertThat(r.get("host").asText()).isEqualTo("web1");
            names.add(r.get("package").asText());
        });
        assertThat(names).isNotEmpty().allMatch(n -> n.startsWith("libc")).isSortedAccordingTo((x, y) -> y.compareTo(x));
        String history = b.get("/hosts/web1").body();
        assertThat(history).contains("Collection history", "push", "stored");
        assertThat(b.get("/hosts/nosuch").statusCode()).isEqualTo(404);
    }

    @Test
    void listsExportAsCsvAndJsonWithTheirFilter() throws Exception {
        HttpResponse<String> csv = b.get("/hosts?q=group:core&format=csv");
        assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("host,group,release,verdict,packages");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("db1,core,bookworm,");
        // A host-supplied cell that a spreadsheet would run is defused.
        String evil = b.get("/packages/evil-tool?format=csv").body();
        assertThat(evil).contains("evil-tool");
        assertThat(Csv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        // A page's other tables export too: a host's collection history.
        List<String> history = b.get("/hosts/web1?format=csv&table=history").body().lines().toList();
        assertThat(history.get(0)).isEqualTo("time,method,outcome,checksum,detail");
        assertThat(history).hasSize(2);
        assertThat(history.get(1)).contains(",push,stored,");
        assertThat(b.get("/hosts/web1").body()).contains("href=\"/hosts/web1?format=csv&amp;table=history\"");
        JsonNode json = JSON.readTree(b.get("/packages?q=package:openssl&format=json").body());
        assertThat(json.at("/tables/0/total").asInt()).isEqualTo(json.at("/tables/0/rows").size()).isPositive();
    }

    static JsonNode table(JsonNode page, String id) {
        for (JsonNode t : page.path("tables")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no table " + id + " in " + page.path("path"));
    }

    @Test
    void advisoriesAndCvesShowTheirFixesAndHosts() throws Exception {
        JsonNode a = JSON.readTree(b.get("/api/v1/advisories/DSA-5343-1").body());
        assertThat(a.at("/facts/1/value").asText()).isEqualTo("openssl");
        assertThat(a.at("/facts/3/value").asText()).contains("CVE-2023-0286");
        assertThat(a.at("/facts/4/value").asText()).contains("bullseye openssl 1.1.1n-0+deb11u4");
        String page = b.get("/advisories/DSA-5343-1").body();
        assertThat(page).contains("href=\"/cves/CVE-2023-0286\"");
        JsonNode hosts = a.at("/tables/0");
        assertThat(hosts.get("total").asInt()).isEqualTo(1);
        assertThat(hosts.at("/rows/0/host").asText()).isEqualTo("old1");
        List<String> through = new ArrayList<>();
        a.at("/tables/1/rows").forEach(r -> through.add(r.get("host").asText() + " " + r.get("package").asText()));
        assertThat(through).containsExactlyInAnyOrder("old1 libssl1.1", "old1 openssl"); // both binaries were set back
        JsonNode cve = JSON.readTree(b.get("/api/v1/cves/CVE-2023-0286").body());
        // Named by the DSA, not by the fixture's tracker data: open through the advisory, on the packages it set back.
        assertThat(table(cve, "hosts").get("total").asInt()).isZero();
        assertThat(table(cve, "packages").at("/rows/0/host").asText()).isEqualTo("old1");
        assertThat(table(cve, "advisories").at("/rows/0/advisory/0").asText()).isEqualTo("DSA-5343-1");
        JsonNode list = JSON.readTree(b.get("/api/v1/advisories?q=source:openssl").body()).at("/tables/0");
        assertThat(list.get("total").asInt()).isPositive();
        list.get("rows").forEach(r -> assertThat(r.get("source").asText()).isEqualTo("openssl"));
        assertThat(b.get("/advisories/DSA-0-0").statusCode()).isEqualTo(404);
        assertThat(b.get("/cves/CVE-2023-0286").statusCode()).isEqualTo(200);
    }

    @Test
    void theMirrorPageShowsEachSuitesSyncAndSignature() throws Exception {
        JsonNode t = JSON.readTree(b.get("/api/v1/mirror").body()).at("/tables/0");
        List<String> suites = new ArrayList<>();
        t.get("rows").forEach(r -> {
            suites.add(r.get("upstream").asText() + " " + r.get("suite").asText());
            assertThat(r.get("snapshot").asText()).isNotEmpty();
            assertThat(r.get("signers").size()).isPositive();
            assertThat(r.get("error").isNull()).isTrue();
        });
        assertThat(suites).containsExactly("debian bookworm", "debian-security bookworm-security", "debian-security bullseye-security");
        assertThat(t.at("/rows/1/valid_until").asText()).isEqualTo("2026-11-28T00:53:02Z");
        assertThat(b.get("/mirror").body()).contains("bookworm-security", "2026-11-28T00:53:02Z");
        // Sizes as a person reads them on the page, exact in the cell's title and in the export.
        long bytes = t.at("/rows/0/index_bytes").asLong();
        assertThat(bytes).isGreaterThan(1 << 20);
        assertThat(b.get("/mirror").body()).containsPattern("<span title=\"" + bytes + " bytes\">[0-9]+\\.[0-9] MiB</span>");
        // Fingerprints in groups of four.
        assertThat(t.at("/rows/0/signers/0").asText()).matches("([0-9A-F]{4} ){9}[0-9A-F]{4}");
    }

    @Test
    void aBadSearchSaysWhatIsWrong() throws Exception {
        HttpResponse<String> r = b.get("/packages?q=version:%3C%3C1:");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("nothing after colon");
        HttpResponse<String> api = b.get("/api/v1/hosts?q=nosuchfield:x");
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(api.body()).get("error").asText()).contains("unknown field 'nosuchfield'");
        // A mistyped state in a host's own box, and a verdict in the hosts' (split from the package words), name the words there are.
        HttpResponse<String> state = b.get("/hosts/web1?q=state:updates");
        assertThat(state.statusCode()).isEqualTo(400);
        assertThat(state.body()).contains("state is current, update, security-update, ");
        HttpResponse<String> verdict = b.get("/api/v1/hosts?q=package:openssl%20verdict:bad");
        assertThat(verdict.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(verdict.body()).get("error").asText()).startsWith("verdict is compliant, ").endsWith("not 'bad'");
        assertThat(b.get("/hosts?sort=%3Cscript%3E").body()).doesNotContain("<script>");
        // A package page is one package, not a prefix search; a name no package can have says so.
        HttpResponse<String> star = b.get("/packages/libssl*");
        assertThat(star.statusCode()).isEqualTo(400);
        assertThat(star.body()).contains("invalid package name");
        // The box stays, with the query as typed, beside the reason.
        assertThat(r.body()).contains("<form class=\"search\" method=\"get\" action=\"/packages\">")
                .contains("value=\"version:&lt;&lt;1:\"");
        // Not found is not found, for a package no host has and a name that is no CVE's, as for a host.
        assertThat(b.get("/packages/nosuch").statusCode()).isEqualTo(404);
        assertThat(b.get("/cves/notacve").statusCode()).isEqualTo(404);
        assertThat(b.get("/hosts/nosuch").statusCode()).isEqualTo(404);
        assertThat(b.get("/cves/CVE-2023-0286").statusCode()).isEqualTo(200);
        // A table the page does not have is refused.
        HttpResponse<String> table = b.get("/hosts?format=csv&table=nosuch");
        assertThat(table.statusCode()).isEqualTo(400);
        assertThat(table.body()).contains("table is one of hosts, not 'nosuch'");
        assertThat(JSON.readTree(b.get("/api/v1/packages?limit=100000").body()).at("/tables/0/limit").asInt()).isEqualTo(100000);
    }

    /**
     * On /hosts, words about packages ask for the hosts that have such a package (they matched
     * nothing before, silently), and each page's example search works on that page.
     */
    @Test
    void packageWordsOnTheHostsPageFindTheHostsThatHaveThemAndEveryPlaceholderWorks() throws Exception {
        java.util.Set<String> expected = new java.util.TreeSet<>();
        web.index.search(org.demi.index.SearchQuery.parse("package:openssl state:security-update"), 0, 10_000).rows()
                .forEach(r -> expected.add(r.get(org.demi.index.IndexField.HOST)));
        assertThat(expected).isNotEmpty();
        JsonNode t = JSON.readTree(b.get("/api/v1/hosts?q=" + java.net.URLEncoder.encode("package:openssl state:security-update",
                java.nio.charset.StandardCharsets.UTF_8)).body()).at("/tables/0");
        java.util.Set<String> got = new java.util.TreeSet<>();
        t.get("rows").forEach(r -> got.add(r.get("host").asText()));
        assertThat(got).isEqualTo(expected);
        assertThat(t.get("query").asText()).isEqualTo("package:openssl state:security-update");
        // Host fields and package fields together: only the bullseye host.
        JsonNode both = JSON.readTree(b.get("/api/v1/hosts?q=" + java.net.URLEncoder.encode("release:bullseye package:openssl",
                java.nio.charset.StandardCharsets.UTF_8)).body()).at("/tables/0");
        assertThat(both.get("rows")).hasSize(1);
        assertThat(both.at("/rows/0/host").asText()).isEqualTo("old1");

        for (String page : List.of("/hosts", "/packages", "/advisories", "/hosts/old1")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("placeholder=\"([^\"]*) …\"").matcher(b.get(page).body());
            assertThat(m.find()).as(page).isTrue();
            String example = m.group(1); // nothing in the examples needs escaping
            HttpResponse<String> r = b.get(page + "?q=" + java.net.URLEncoder.encode(example, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(page + " " + example).isEqualTo(200);
        }
    }
}
