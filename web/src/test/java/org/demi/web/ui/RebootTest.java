package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.demi.compliance.inventory.Inventory;
import org.demi.deb.Fixtures;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that installed a fixed kernel and did not boot it, as an auditor finds it: its verdict,
 * its page, the searches, the CVE list, the report and its SBOM all say it is open until it
 * reboots; booted, it is not. web1 here is a bookworm host with the real mirror's signed images
 * {@code linux-image-6.1.0-47-amd64} (6.1.170-3) and {@code -56} (6.1.192-2) and the
 * meta-package at the mirror's newest, 6.1.192-2: nothing to upgrade. The tracker's
 * CVE-2026-2001 is fixed in linux 6.1.171-1 (see {@link WebFixture#TRACKER_JSON}).
 */
class RebootTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static WebFixture.Browser b;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STATUS = """
            Package: dpkg
            Status: install ok installed
            Architecture: amd64
            Version: 1.21.23

            Package: linux-image-6.1.0-47-amd64
            Status: install ok installed
            Architecture: amd64
            Source: linux-signed-amd64 (6.1.170+3)
            Version: 6.1.170-3

            Package: linux-image-6.1.0-56-amd64
            Status: install ok installed
            Architecture: amd64
            Source: linux-signed-amd64 (6.1.192+2)
            Version: 6.1.192-2

            Package: linux-image-amd64
            Status: install ok installed
            Architecture: amd64
            Source: linux-signed-amd64 (6.1.192+2)
            Version: 6.1.192-2
            """;

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

    /** web1 pushes its packages, the kernel it runs as Debian's uname prints it, and needrestart's report. */
    static void push(String release, String version, String needrestart) throws Exception {
        byte[] running = ("Kernel-Release: " + release + "\nKernel-Version: #1 SMP PREEMPT_DYNAMIC Debian " + version
                + " (2026-11-02)\nBoot-Time: 1764000000\nReboot-Required: no\n").getBytes(StandardCharsets.US_ASCII);
        web.app.compliance().inventories().accept("web1", "push", Inventory.of(Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/os-release")),
                STATUS.getBytes(StandardCharsets.US_ASCII), running, needrestart.getBytes(StandardCharsets.US_ASCII)));
        web.app.indexer().flush();
    }

    static JsonNode api(String path) throws Exception {
        return JSON.readTree(b.get("/api/v1" + path).body());
    }

    static String fact(JsonNode page, String label) {
        for (JsonNode f : page.get("facts")) {
            if (f.get("label").asText().equals(label)) {
                return f.get("value").asText();
            }
        }
        throw new AssertionError("no fact '" + label + "' in " + page.get("facts"));
    }

    static JsonNode table(JsonNode page, String id) {
        for (JsonNode t : page.get("tables")) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no table " + id);
    }

    static List<String> hosts(String query) throws Exception {
        List<String> out = new ArrayList<>();
        api("/hosts?q=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8)).at("/tables/0/rows")
                .forEach(r -> out.add(r.get("host").asText()));
        return out;
    }

    static String[] report(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of("--config", web.config.toString(), "--data", web.data.toString(), "report"));
        argv.addAll(List.of(args));
        int rc = Demi.run(new PrintWriter(out), new PrintWriter(err), argv.toArray(String[]::new));
        return new String[] {Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void aKernelInstalledButNotBootedIsOpenUntilTheReboot() throws Exception {
        push("6.1.0-47-amd64", "6.1.170-3", "NEEDRESTART-VER: 3.6\nNEEDRESTART-KSTA: 3\nNEEDRESTART-KEXP: 6.1.0-56-amd64\n"
                + "NEEDRESTART-SVC: ssh.service\n");
        JsonNode host = api("/hosts/web1");
        assertThat(fact(host, "Verdict")).isEqualTo("reboot-required");
        assertThat(fact(host, "Reboot required")).isEqualTo("yes");
        assertThat(fact(host, "Services to restart")).isEqualTo("1");
        assertThat(fact(host, "Why it must reboot")).isEqualTo("runs linux 6.1.170-3 (6.1.0-47-amd64); linux-image-6.1.0-56-amd64 "
                + "6.1.192-2 is installed; needrestart: a kernel upgrade is pending, expects 6.1.0-56-amd64");
        assertThat(fact(host, "Services to restart (needrestart)")).isEqualTo("ssh.service");
        assertThat(b.get("/hosts/web1").body()).contains("reboot-required", "fixed-pending-reboot", "CVE-2026-2001");

        // The searches an auditor types.
        assertThat(hosts("reboot_required:yes")).containsExactly("web1");
        assertThat(hosts("verdict:reboot-required")).containsExactly("web1");
        assertThat(hosts("kernel_version:<<6.1.171-1")).containsExactly("web1");
        assertThat(hosts("kernel:6.1.0-47-*")).containsExactly("web1");
        assertThat(hosts("restart_services:>0")).containsExactly("web1");
        assertThat(web.index.count(org.demi.index.SearchQuery.parse("type:cve cve:CVE-2026-2001"))).isEqualTo(1);
        assertThat(web.index.count(org.demi.index.SearchQuery.parse("type:cve cve_state:fixed-pending-reboot"))).isEqualTo(1);
        JsonNode row = table(host, "cves").at("/rows/0");
        assertThat(row.get("cve").get(0).asText()).isEqualTo("CVE-2026-2001");
        assertThat(row.get("cve_state").asText()).isEqualTo("fixed-pending-reboot");
        assertThat(row.get("source").asText()).isEqualTo("linux");
        assertThat(row.get("source_version").asText()).isEqualTo("6.1.170-3");
        // The CVE list counts it in its own column; the overview counts the hosts to reboot.
        JsonNode list = api("/cves?q=cve:CVE-2026-2001");
        assertThat(list.at("/tables/0/rows/0/fixed-pending-reboot").asInt()).isEqualTo(1);
        assertThat(list.at("/tables/0/rows/0/fix-available").asInt()).isZero();
        assertThat(fact(api("/"), "Hosts to reboot")).isEqualTo("1");
        String metrics = b.get("/metrics").body();
        assertThat(metrics).contains("demi_hosts_reboot_required 1.0", "demi_hosts_restart_required 1.0",
                "demi_hosts{verdict=\"reboot-required\"} 1.0");

        // The report, for cron: --fail-on reboot names it.
        String[] csv = report("--format", "csv", "--fail-on", "reboot");
        assertThat(csv[0]).isEqualTo("1");
        assertThat(csv[2]).contains("reboot: web1");
        String web1 = csv[1].lines().filter(l -> l.startsWith("web1,")).findFirst().orElseThrow();
        assertThat(csv[1].lines().findFirst().orElseThrow()).endsWith(",fixed_pending_reboot_cves,kernel,reboot_required,restart_services");
        assertThat(web1).contains(",reboot-required,").endsWith(",1,6.1.0-47-amd64,yes,ssh.service");
        JsonNode web1Json = null;
        for (JsonNode h : JSON.readTree(report("--format", "json")[1]).get("hosts")) {
            web1Json = h.get("host").asText().equals("web1") ? h : web1Json;
        }
        assertThat(web1Json.get("kernel_version").asText()).isEqualTo("6.1.170-3");
        assertThat(web1Json.get("reboot_required").get(0).asText()).startsWith("runs linux 6.1.170-3");
        assertThat(web1Json.at("/services_to_restart/0").asText()).isEqualTo("ssh.service");

        // Its SBOM: exploitable, the update installed, until the host reboots.
        JsonNode bom = JSON.readTree(b.get("/hosts/web1/sbom").body());
        JsonNode v = null;
        for (JsonNode x : bom.get("vulnerabilities")) {
            if (x.get("id").asText().equals("CVE-2026-2001")) {
                v = x;
            }
        }
        assertThat(v).isNotNull();
        assertThat(v.at("/analysis/state").asText()).isEqualTo("exploitable");
        assertThat(v.at("/analysis/detail").asText()).endsWith("the host runs linux 6.1.170-3 until it reboots");

        // Rebooted into the -56 image, with ssh restarted: nothing is left to do.
        push("6.1.0-56-amd64", "6.1.192-2", "NEEDRESTART-VER: 3.6\nNEEDRESTART-KSTA: 1\n");
        host = api("/hosts/web1");
        assertThat(fact(host, "Verdict")).isEqualTo("compliant");
        assertThat(fact(host, "Reboot required")).isEqualTo("no");
        assertThat(hosts("reboot_required:yes")).isEmpty();
        assertThat(web.index.count(org.demi.index.SearchQuery.parse("type:cve cve:CVE-2026-2001"))).isZero();
        assertThat(report("--fail-on", "reboot,restart")[0]).isEqualTo("0");
    }

    @Test
    void servicesAloneMakeARestartRequired() throws Exception {
        push("6.1.0-56-amd64", "6.1.192-2", "NEEDRESTART-VER: 3.6\nNEEDRESTART-KSTA: 1\nNEEDRESTART-SVC: cron.service\n"
                + "NEEDRESTART-SVC: ssh.service\n");
        JsonNode host = api("/hosts/web1");
        assertThat(fact(host, "Verdict")).isEqualTo("restart-required");
        assertThat(fact(host, "Services to restart (needrestart)")).isEqualTo("cron.service, ssh.service");
        assertThat(hosts("verdict:restart-required")).containsExactly("web1");
        String[] r = report("--fail-on", "restart");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("restart: web1");
    }
}
