package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FleetIndexTest's questions asked of a SolrCloud collection (three nodes, in a JVM of their
 * own), and the same fleet asked of both back ends side by side: every answer the same, to the
 * order of the rows and of the facets' values.
 */
class SolrFleetIndexTest extends FleetIndexTest {
    @Override
    FleetIndex open() throws java.io.IOException {
        return SolrTestCluster.get().collection("fleet");
    }

    /** Demi keeps no answers of a SolrCloud's (other servers write to it too): a change is seen once refreshed, by the next search. */
    @Override
    void aRepeatedQueryIsAnsweredFromCacheUntilTheIndexChanges() {
    }

    /** Nor, therefore, any page's rows or counts. */
    @Override
    void aPageIsKeptWhenAskedAgainItsCountsAtOnce() {
    }

    @Test
    void aChangeIsSeenOnceRefreshed() throws Exception {
        SearchQuery q = SearchQuery.parse("type:host group:lab sort:host");
        assertThat(index.search(q, 0, 10).rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("bull-old", "bull1", "bull2");
        long before = index.version();
        index.removeHost("bull1");
        index.refresh();
        assertThat(index.search(q, 0, 10).rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("bull-old", "bull2");
        assertThat(index.count(SearchQuery.parse("host:bull1"))).as("the host's package documents went with it").isZero();
        assertThat(index.version()).isNotEqualTo(before);
        index.replaceHost(indexed.get(0));
        index.refresh();
        assertThat(index.count(SearchQuery.parse("host:bull1"))).isEqualTo(evaluations.get(0).packages().size());
    }

    /**
     * A collection an earlier Demi made, whose schema lacks the fields this one writes (the
     * running kernel's, the restarts'): opening it moves it to this Demi's configuration set, and
     * a host with those fields is indexed and found.
     */
    @Test
    void aCollectionAnEarlierDemiMadeTakesThisSchema() throws Exception {
        String zk = SolrTestCluster.get().zk;
        List<String> added = new ArrayList<>();
        for (IndexField f : List.of(IndexField.KERNEL, IndexField.KERNEL_BUILD, IndexField.BOOTED, IndexField.KERNEL_VERSION,
                IndexField.REBOOT_REQUIRED, IndexField.REBOOT_REASON, IndexField.RESTART_SERVICES, IndexField.SERVICES)) {
            added.add("name=\"" + SolrQueries.field(f.word()) + "\"");
            added.add("name=\"" + SolrQueries.field(Schema.keyField(f.word())) + "\"");
        }
        String earlier = SolrConfigSet.schema().lines().filter(l -> added.stream().noneMatch(l::contains))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(earlier).doesNotContain("name=\"kernel\"").contains("name=\"verdict\"");
        try (SolrNodes nodes = SolrNodes.connect(zk)) {
            nodes.post("/admin/configs?action=UPLOAD&name=demi-earlier", "application/octet-stream", SolrConfigSet.zip(earlier));
            nodes.get("/admin/collections?action=CREATE&name=earlier&collection.configName=demi-earlier&numShards=1"
                    + "&replicationFactor=1&router.name=compositeId&router.field=owner&waitForFinalState=true");
        }
        try (FleetIndex moved = FleetIndex.solr(zk, "earlier", "test")) {
            moved.replaceHost(rebooting(evaluations.get(4)));
            moved.refresh();
            assertThat(moved.count(SearchQuery.parse("type:host reboot_required:yes kernel_version:<<6.1.171-1"))).isEqualTo(1);
        }
        try (SolrNodes nodes = SolrNodes.connect(zk)) {
            assertThat(nodes.get("/admin/collections?action=CLUSTERSTATUS&collection=earlier").at("/cluster/collections/earlier/configName")
                    .asText()).isEqualTo(SolrConfigSet.name());
        }
    }

    static final List<String> QUESTIONS = List.of("", "sort:-version", "state:security-update", "package:libssl*",
            "group:lab state:update,security-update sort:package", "version:<<3.0.11-1~deb12u2", "newest:>=1.2 sort:-newest",
            "tls library", "arch:all sort:-package", "advisory:DSA-5343-1", "source:openssl sort:-source_version",
            "type:host", "type:host security_updates:>0", "type:host sort:-packages", "type:host group:web,lab sort:-updates",
            "type:advisory", "type:advisory cve:CVE-2023-0286", "type:advisory fixed_in:bookworm sort:date", "attention:>=2 sort:-attention",
            "release:bookworm package:lib* sort:arch");

    @Test
    void answersAsLuceneDoes() throws Exception {
        try (FleetIndex lucene = FleetIndex.open(tmp.resolve("lucene"))) {
            for (IndexedHost h : indexed) {
                lucene.replaceHost(h);
            }
            lucene.replaceAdvisories(dsa.advisories());
            lucene.refresh();
            int asked = 0;
            for (String question : QUESTIONS) {
                SearchQuery q = SearchQuery.parse(question);
                for (int[] page : new int[][] {{0, 10}, {0, 1000}, {7, 20}, {95, 30}}) {
                    sameAnswer(index.search(q, page[0], page[1]), lucene.search(q, page[0], page[1]),
                            "'" + question + "' from " + page[0] + ", " + page[1] + " rows");
                    asked++;
                }
                assertThat(index.count(q)).as(question).isEqualTo(lucene.count(q));
            }
            assertThat(asked).isEqualTo(QUESTIONS.size() * 4);
            SearchQuery hosts = SearchQuery.parse("type:host");
            for (IndexField f : List.of(IndexField.PACKAGES, IndexField.SECURITY_UPDATES, IndexField.UPDATES)) {
                assertThat(index.sum(hosts, f)).as(f.word()).isEqualTo(lucene.sum(hosts, f)).isPositive();
            }
            assertThat(index.indexedHosts()).isEqualTo(lucene.indexedHosts()).hasSize(5);
        }
    }

    /** Solr's answer is Lucene's: the total, the rows in their order, the facets with theirs. */
    static void sameAnswer(FleetIndex.Result got, FleetIndex.Result want, String what) {
        assertThat(got.total()).as(what + ": total").isEqualTo(want.total());
        assertThat(got.rows()).as(what + ": rows").containsExactlyElementsOf(want.rows());
        assertThat(ordered(got.facets())).as(what + ": facets").isEqualTo(ordered(want.facets()));
    }

    /** The facets with their order: dimensions, and values most frequent first. */
    private static List<Object> ordered(Map<String, Map<String, Long>> facets) {
        List<Object> out = new ArrayList<>();
        facets.forEach((dim, values) -> out.add(dim + "=" + new ArrayList<>(values.entrySet())));
        return out;
    }
}
