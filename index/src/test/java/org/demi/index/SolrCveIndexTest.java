package org.demi.index;

/** CveIndexTest's questions asked of a SolrCloud collection. */
class SolrCveIndexTest extends CveIndexTest {
    @Override
    FleetIndex open() throws java.io.IOException {
        return SolrTestCluster.get().collection("cve");
    }
}
