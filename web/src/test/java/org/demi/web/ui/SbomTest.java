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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosts' bills of materials: valid CycloneDX 1.5 by the CycloneDX schema, every installed
 * package with its package URL, every CVE the tracker lists for the host with the analysis
 * its Demi state gives; at /hosts/HOST/sbom (for a user), from demi sbom, and for the whole
 * fleet as a tar. The fixture's hosts and tracker data (see WebFixture) decide the states.
 */
class SbomTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    static void valid(String json) throws Exception {
        assertThat(new JsonParser().validate(json.getBytes(StandardCharsets.UTF_8), Version.VERSION_15)).as("CycloneDX 1.5 schema").isEmpty();
    }

    static JsonNode vulnerability(JsonNode bom, String id) {
        for (JsonNode v : bom.get("vulnerabilities")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        throw new AssertionError(id + " is not in the SBOM");
    }

    @Test
    void aHostsSbomListsItsPackagesAndTheirVulnerabilities() throws Exception {
        WebFixture.Browser b = web.browser();
        b.logIn("victor", WebFixture.VIEWER_PASSWORD);
        HttpResponse<String> r = b.get("/hosts/web1/sbom");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/vnd.cyclonedx+json; version=1.5");
        valid(r.body());
        JsonNode bom = JSON.readTree(r.body());
        assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.get("specVersion").asText()).isEqualTo("1.5");
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("web1");
        // Every installed package of the host, once.
        org.demi.compliance.inventory.Inventory inventory = web.setup.inventories().latest("web1").orElseThrow().inventory();
        assertThat(bom.get("components")).hasSize(inventory.installedCount());
        List<String> purls = new ArrayList<>();
        bom.get("components").forEach(c -> purls.add(c.get("purl").asText()));
        assertThat(purls).doesNotHaveDuplicates()
                .contains("pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
                        "pkg:deb/debian/evil-tool@1.0-1?arch=all&distro=debian-12");
        // openssl's CVE-2026-1001: the mirror offers the fix; exploitable, respond with an update, on libssl3 among others.
        JsonNode open = vulnerability(bom, "CVE-2026-1001");
        assertThat(open.at("/analysis/state").asText()).isEqualTo("exploitable");
        assertThat(open.at("/analysis/response/0").asText()).isEqualTo("update");
        assertThat(open.at("/ratings/0/severity").asText()).isEqualTo("high");
        assertThat(open.get("affects").toString()).contains("pkg:deb/debian/libssl3@3.0.20-1~deb12u2");
        assertThat(open.at("/source/url").asText()).isEqualTo("https://security-tracker.debian.org/tracker/CVE-2026-1001");
        // Beyond the mirror, postponed, fixed and undetermined, as Demi judged them.
        assertThat(vulnerability(bom, "CVE-2026-1002").at("/analysis/detail").asText()).contains("does not offer yet");
        assertThat(vulnerability(bom, "CVE-2026-1007").at("/analysis/response/0").asText()).isEqualTo("will_not_fix");
        assertThat(vulnerability(bom, "CVE-2026-1004").at("/analysis/state").asText()).isEqualTo("resolved");
        assertThat(vulnerability(bom, "TEMP-0000000-A1B2C3").at("/analysis/state").asText()).isEqualTo("in_triage");

        // The same document from the command line.
        StringWriter out = new StringWriter();
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(), "--data", web.data.toString(),
                "sbom", "web1")).as(out.toString()).isZero();
        valid(out.toString());
        assertThat(JSON.readTree(out.toString()).get("components")).hasSize(inventory.installedCount());

        // The validator does refuse what is not CycloneDX: the same document without its format.
        String broken = r.body().replace("\"bomFormat\" : \"CycloneDX\",", "").replace("\"bomFormat\":\"CycloneDX\",", "");
        assertThat(broken).isNotEqualTo(r.body());
        assertThat(new JsonParser().validate(broken.getBytes(StandardCharsets.UTF_8), Version.VERSION_15)).isNotEmpty();
    }

    /** The SPDX 2.3 JSON schema, as the SPDX project's tools ship it. */
    static java.util.Set<com.networknt.schema.ValidationMessage> spdxProblems(String json) throws Exception {
        try (java.io.InputStream schema = SbomTest.class.getClassLoader().getResourceAsStream("resources/spdx-schema-v2.3.json")) {
            assertThat(schema).as("the SPDX tools' schema").isNotNull();
            return com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7).getSchema(schema)
                    .validate(JSON.readTree(json));
        }
    }

    @Test
    void theSpdxDocumentListsThePackagesAndTheOpenCves() throws Exception {
        WebFixture.Browser b = web.browser();
        b.logIn("victor", WebFixture.VIEWER_PASSWORD);
        HttpResponse<String> r = b.get("/hosts/web1/sbom?format=spdx");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/spdx+json");
        assertThat(r.headers().firstValue("content-disposition")).hasValueSatisfying(d -> assertThat(d).contains("web1.spdx.json"));
        assertThat(spdxProblems(r.body())).as("SPDX 2.3 schema").isEmpty();
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        org.demi.compliance.inventory.Inventory inventory = web.setup.inventories().latest("web1").orElseThrow().inventory();
        assertThat(doc.get("packages")).hasSize(inventory.installedCount() + 1); // and the host itself
        JsonNode libssl = null;
        for (JsonNode p : doc.get("packages")) {
            if (p.get("name").asText().equals("libssl3")) {
                libssl = p;
            }
        }
        assertThat(libssl).isNotNull();
        assertThat(libssl.get("versionInfo").asText()).isEqualTo("3.0.20-1~deb12u2");
        assertThat(libssl.get("externalRefs").toString())
                .contains("pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl")
                .contains("https://security-tracker.debian.org/tracker/CVE-2026-1001").contains("CVE-2026-1001: fix-available, high")
                .doesNotContain("CVE-2026-1004"); // fixed: not a security reference
        // The schema does refuse a document that is not SPDX: the same without its version.
        assertThat(spdxProblems(r.body().replaceFirst("\"spdxVersion\"\\s*:\\s*\"SPDX-2.3\",", ""))).isNotEmpty();

        StringWriter out = new StringWriter();
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(), "--data", web.data.toString(),
                "sbom", "db1", "--format", "spdx")).as(out.toString()).isZero();
        assertThat(spdxProblems(out.toString())).isEmpty();
        assertThat(b.get("/hosts/web1/sbom?format=xml").statusCode()).isEqualTo(400);
    }

    @Test
    void theFleetsSbomsAreOneFileEachInATar() throws Exception {
        Path tar = tmp.resolve("fleet.tar");
        StringWriter out = new StringWriter();
        assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(), "--data", web.data.toString(),
                "sbom", "--all", "--output", tar.toString())).as(out.toString()).isZero();
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                valid(json);
                assertThat(JSON.readTree(json).at("/metadata/component/name").asText() + ".cdx.json").isEqualTo(e.getName());
                if (e.getName().equals("old1.cdx.json")) {
                    // old1 is bullseye: its package URLs say so.
                    assertThat(json).contains("distro=debian-11").doesNotContain("distro=debian-12");
                }
            }
        }
        assertThat(names).containsExactlyInAnyOrder("web1.cdx.json", "db1.cdx.json", "old1.cdx.json");
    }

    @Test
    void unknownHostsAndWrongUsesAreRefused() throws Exception {
        WebFixture.Browser b = web.browser();
        assertThat(b.get("/hosts/web1/sbom").statusCode()).as("no session").isEqualTo(303);
        b.logIn("victor", WebFixture.VIEWER_PASSWORD);
        assertThat(b.get("/hosts/nosuchhost/sbom").statusCode()).isEqualTo(404);
        for (Map.Entry<List<String>, String> e : Map.of(List.of("sbom", "nosuchhost"), "no host 'nosuchhost' is declared",
                List.of("sbom"), "name one HOST, or --all", List.of("sbom", "--all"), "give --output FILE.tar",
                List.of("sbom", "web1", "--format", "xml"), "the format is cyclonedx or spdx").entrySet()) {
            StringWriter out = new StringWriter();
            List<String> args = new ArrayList<>(List.of("--config", web.config.toString(), "--data", web.data.toString()));
            args.addAll(e.getKey());
            assertThat(Demi.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new))).isEqualTo(2);
            assertThat(out.toString()).contains(e.getValue());
        }
    }
}
