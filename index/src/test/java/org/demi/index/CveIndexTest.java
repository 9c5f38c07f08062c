package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's CVEs in the index: one document per CVE it is open to (per source), with state,
 * urgency, scope and since when, so that an auditor's combined question is one query and holds
 * for one and the same CVE; the CVE ids on the installed packages too.
 */
class CveIndexTest {
    static final String TRACKER = """
            {"openssl": {
               "CVE-2026-1001": {"scope": "remote", "releases": {"bookworm": {"status": "resolved",
                                 "fixed_version": "3.0.22-1~deb12u1", "urgency": "high"}}},
               "CVE-2026-1002": {"scope": "local", "releases": {"bookworm": {"status": "resolved",
                                 "fixed_version": "3.0.23-1~deb12u1", "urgency": "low"}}}},
             "perl": {
               "CVE-2026-1007": {"scope": "remote", "releases": {"bookworm": {"status": "open", "urgency": "low",
                                 "nodsa": "Minor issue", "nodsa_reason": "postponed"}}},
               "CVE-2026-1009": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "high"}}}}}
            """;

    @TempDir
    Path tmp;
    FleetIndex index;

    /** The index under test: Lucene's here, Solr's in the subclass that runs the same tests against SolrCloud. */
    FleetIndex open() throws java.io.IOException {
        return FleetIndex.open(tmp.resolve("index"));
    }

    @BeforeEach
    void build() throws Exception {
        HostEvaluation e = MinbaseHost.evaluate("min1", TRACKER);
        CveTimeline timeline = new CveTimeline(Map.of("CVE-2026-1001 openssl", Instant.parse("2026-11-20T10:00:00Z"),
                "CVE-2026-1007 perl", Instant.parse("2026-10-01T00:00:00Z")), List.of());
        index = open();
        index.replaceHost(new IndexedHost("min1", List.of("web"), Verdict.NON_COMPLIANT, Optional.empty(), "c", Optional.of(e), "",
                timeline, List.of()));
        index.refresh();
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    List<Row> rows(String q) throws Exception {
        return index.search(SearchQuery.parse(q), 0, 1000).rows();
    }

    @Test
    void eachOpenCveIsADocumentWithItsStateUrgencyScopeAndSince() throws Exception {
        List<Row> all = rows("type:cve host:min1");
        // Fixed and not-affected ones are not listed: three open, worst first.
        assertThat(all).extracting(r -> r.all(IndexField.CVE).get(0)).containsExactly("CVE-2026-1001", "CVE-2026-1002", "CVE-2026-1007");
        Row first = all.get(0);
        assertThat(first.get(IndexField.CVE_STATE)).isEqualTo("fix-available");
        assertThat(first.get(IndexField.URGENCY)).isEqualTo("high");
        assertThat(first.get(IndexField.SCOPE)).isEqualTo("remote");
        assertThat(first.get(IndexField.SINCE)).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(first.get(IndexField.FIXED_VERSION)).isEqualTo("3.0.22-1~deb12u1");
        assertThat(first.all(IndexField.BINARIES)).containsExactly("libssl3:amd64", "openssl:amd64");
        assertThat(all.get(2).get(IndexField.REMARK)).isEqualTo("postponed: Minor issue");
    }

    @Test
    void aCombinedQuestionHoldsForOneAndTheSameCve() throws Exception {
        assertThat(rows("type:cve cve_state:fix-available urgency:high scope:remote")).hasSize(1);
        // low and remote: CVE-2026-1007 only (CVE-2026-1002 is low but local, CVE-2026-1001 remote but high).
        assertThat(rows("type:cve urgency:low scope:remote")).extracting(r -> r.all(IndexField.CVE).get(0))
                .containsExactly("CVE-2026-1007");
        assertThat(rows("type:cve cve_state:fix-available urgency:low")).isEmpty();
        assertThat(rows("type:cve fixed_version:>>3.0.22-1~deb12u1")).extracting(r -> r.all(IndexField.CVE).get(0))
                .containsExactly("CVE-2026-1002");
        assertThat(rows("type:cve sort:-urgency")).extracting(r -> r.get(IndexField.URGENCY)).containsExactly("low", "low", "high");
    }

    @Test
    void aCvesHostsTieOnStateAndUrgencyAndAreThenOldestFirstThenByHost() throws Exception {
        // The same CVE, fix available, high, on four hosts: since when decides (a host with no
        // timeline entry first, as its empty value sorts first), then the host ("min10" before
        // "min2", by their bytes). Lucene ranks this by one key per document (CveOrder), Solr by
        // the four fields: both must give this order.
        Instant october = Instant.parse("2026-10-01T00:00:00Z");
        for (String host : List.of("min2", "min10", "min3")) {
            Map<String, Instant> since = host.equals("min3") ? Map.of() : Map.of("CVE-2026-1001 openssl", october);
            index.replaceHost(new IndexedHost(host, List.of("web"), Verdict.NON_COMPLIANT, Optional.empty(), "c",
                    Optional.of(MinbaseHost.evaluate(host, TRACKER)), "", new CveTimeline(since, List.of()), List.of()));
        }
        index.refresh();
        assertThat(rows("type:cve cve:CVE-2026-1001")).extracting(r -> r.get(IndexField.HOST) + " " + r.get(IndexField.SINCE))
                .containsExactly("min3 ", "min10 2026-10-01T00:00:00Z", "min2 2026-10-01T00:00:00Z", "min1 2026-11-20T10:00:00Z");
        // Page by page, as a CVE's page asks: the same order.
        List<String> paged = new java.util.ArrayList<>();
        for (int offset = 0; offset < 4; offset++) {
            index.search(SearchQuery.parse("type:cve cve:CVE-2026-1001"), offset, 1).rows().forEach(r -> paged.add(r.get(IndexField.HOST)));
        }
        assertThat(paged).containsExactly("min3", "min10", "min2", "min1");
    }

    @Test
    void theHostCountsItsCvesAndItsPackagesNameThem() throws Exception {
        Row host = rows("type:host").get(0);
        assertThat(host.get(IndexField.OPEN_CVES)).isEqualTo("3");
        assertThat(host.get(IndexField.FIXABLE_CVES)).isEqualTo("1");
        assertThat(rows("cve:CVE-2026-1002")).extracting(r -> r.get(IndexField.PACKAGE)).containsExactlyInAnyOrder("libssl3", "openssl");
        assertThat(rows("cve:CVE-2026-1009")).as("not affected: no package is open to it").isEmpty();
    }
}
