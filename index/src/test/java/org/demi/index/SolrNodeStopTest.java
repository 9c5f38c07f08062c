package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.Test;

/**
 * A node of the three stopped while hosts are written: what Solr acknowledged is all there once
 * it is back, even after another node is stopped in turn (so the one that came back must hold
 * its share again: each shard is held twice).
 */
class SolrNodeStopTest {
    @Test
    void nothingAcknowledgedIsLostWhileANodeIsDown() throws Exception {
        SolrTestCluster cluster = SolrTestCluster.get();
        HostEvaluation evaluation = MinbaseHost.evaluate("h", CveTalliesTest.TRACKER);
        try (FleetIndex index = cluster.collection("nodestop")) {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                acknowledged.add(write(index, "before" + i, evaluation));
            }
            cluster.stop(1);
            try {
                // Some writes may be refused while the shards that node led elect new leaders: the
                // indexer writes such a host again at its next turn, and so does this test.
                for (int i = 0; i < 12; i++) {
                    acknowledged.add(write(index, "during" + i, evaluation));
                }
                index.refresh();
                assertThat(index.count(SearchQuery.parse("type:host"))).as("searched with a node down").isEqualTo(24);
            } finally {
                cluster.start(1);
            }
            cluster.stop(2);
            try {
                index.refresh();
                assertThat(index.indexedHosts().keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(index.count(SearchQuery.parse("type:package"))).isEqualTo(24L * evaluation.packages().size());
                assertThat(index.cveTallies(CveTalliesTest.cves("")).get("CVE-2026-2001").hosts()).isEqualTo(24);
            } finally {
                cluster.start(2);
            }
        }
    }

    /** Writes a host until Solr acknowledges it (a minute at most). */
    private static String write(FleetIndex index, String host, HostEvaluation e) throws Exception {
        IndexedHost h = new IndexedHost(host, List.of("g"), Verdict.NON_COMPLIANT, Optional.empty(), "c-" + host, Optional.of(e), "",
                new CveTimeline(java.util.Map.of(), List.of()), List.of());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                index.replaceHost(h);
                return host;
            } catch (IOException refused) {
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(500);
            }
        }
    }
}
