package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.demi.index.SolrTestCluster;
import org.demi.web.app.IndexLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Demi servers, say one per network zone, each collecting its own three hosts, share one
 * index in a three-node SolrCloud: each server's pages show all six hosts, and the CVEs of all.
 */
class SharedSolrIndexTest {
    @TempDir
    Path tmp;

    @Test
    void twoServersShowEachOthersHosts() throws Exception {
        String zk = SolrTestCluster.get().zk;
        try (WebFixture a = new WebFixture(tmp.resolve("a"), Optional.empty(), IndexLocation.parse("solr:" + zk, "shared", Optional.of("zone-a")), "a-");
             WebFixture b = new WebFixture(tmp.resolve("b"), Optional.empty(), IndexLocation.parse("solr:" + zk, "shared", Optional.of("zone-b")), "b-")) {
            a.index.refresh();
            List<String> all = List.of("a-db1", "a-old1", "a-web1", "b-db1", "b-old1", "b-web1");
            for (WebFixture server : List.of(a, b)) {
                WebFixture.Browser browser = server.browser();
                browser.logIn("alice", WebFixture.ADMIN_PASSWORD);
                JsonNode hosts = new ObjectMapper().readTree(browser.get("/api/v1/hosts").body()).path("tables").get(0);
                List<String> names = new ArrayList<>();
                hosts.path("rows").forEach(r -> names.add(r.path("host").asText()));
                assertThat(hosts.path("total").asLong()).isEqualTo(6);
                assertThat(names).as(server.base).containsExactlyElementsOf(all);
                String cve = browser.get("/cves/CVE-2026-1001").body();
                for (String host : all) {
                    assertThat(cve).as("the CVE's page on " + server.base).contains(host);
                }
            }
            // Another zone's host: this server has none of its files, and shows it from the index.
            WebFixture.Browser browser = a.browser();
            browser.logIn("alice", WebFixture.ADMIN_PASSWORD);
            var other = browser.get("/hosts/b-web1");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).contains("<h1>Host b-web1</h1>", "<dt>Security updates</dt><dd>18</dd>");
            // Each server's part is its own: a rebuild of one leaves the other's hosts in place.
            assertThat(a.index.indexedHosts().keySet()).containsExactlyInAnyOrder("a-db1", "a-old1", "a-web1");
            a.index.clear();
            a.index.refresh();
            assertThat(b.index.indexedHosts().keySet()).containsExactlyInAnyOrder("b-db1", "b-old1", "b-web1");
            assertThat(b.index.count(org.demi.index.SearchQuery.parse("type:host"))).isEqualTo(3);
        }
    }
}
