package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.Test;

/**
 * CveTalliesTest's questions asked of a SolrCloud collection, whose tallies come from JSON facets
 * merged over three shards, and the same hosts asked of both back ends side by side.
 */
class SolrCveTalliesTest extends CveTalliesTest {
    @Override
    FleetIndex open() throws java.io.IOException {
        return SolrTestCluster.get().collection("tallies");
    }

    /** A Lucene matter: a SolrCloud collection has no read-only opening, and keeps no figures between requests. */
    @Override
    void theFiguresOfAnIndexReopenedOrOpenedForSearchingAreCountedFromIt() {
    }

    /** A Lucene matter too: Solr counts each request's facets afresh, so two answers are equal, never one object. */
    @Override
    void theListAndACvesPageShareOneSetOfCounts() {
    }

    @Test
    void talliesFiguresAndCveListsAsLuceneHasThem() throws Exception {
        try (FleetIndex lucene = FleetIndex.open(tmp.resolve("lucene"))) {
            for (IndexedHost h : added) {
                lucene.replaceHost(h);
            }
            // Hosts enough to be spread over the shards, a third with a history that knows when each CVE opened.
            for (int i = 0; i < 30; i++) {
                Map<String, Instant> since = i % 3 == 0 ? H2 : Map.of();
                IndexedHost h = new IndexedHost("s" + i, List.of(i % 2 == 0 ? "even" : "odd"), Verdict.NON_COMPLIANT, Optional.empty(), "c",
                        Optional.of(evaluation), "", new CveTimeline(since, List.of()), List.of());
                index.replaceHost(h);
                lucene.replaceHost(h);
            }
            index.refresh();
            lucene.refresh();
            for (String q : List.of("", "group:even", "urgency:low", "cve_state:no-fix source:perl", "host:s3", "urgency:medium",
                    "source:openssl cve_state:fix-available")) {
                assertThat(index.cveTallies(cves(q))).as(q).isEqualTo(lucene.cveTallies(cves(q)));
                for (String sort : List.of("", " sort:-since", " sort:urgency sort:-host")) {
                    SolrFleetIndexTest.sameAnswer(index.search(cves(q + sort), 3, 40), lucene.search(cves(q + sort), 3, 40), q + sort);
                }
            }
            assertThat(index.cveTallies(cves("")).get("CVE-2026-2001").hosts()).isEqualTo(33);
            // Solr's figures come from its tallies, Lucene's were kept as hosts were written.
            assertThat(index.openCves()).isEqualTo(lucene.openCves());
            assertThat(index.openCves().cves()).isEqualTo(3);
        }
    }
}
