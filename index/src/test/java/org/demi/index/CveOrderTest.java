package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CVE document's one sort key orders exactly as the four fields it stands for, compared in
 * turn as Lucene and Solr compare them (words and since by their bytes, urgency by its rank).
 */
class CveOrderTest {
    record Fields(String state, int urgency, String since, String host) {
    }

    private static final Comparator<Fields> BY_FIELDS = Comparator.<Fields, BytesRef>comparing(f -> new BytesRef(f.state()))
            .thenComparingInt(Fields::urgency).thenComparing(f -> new BytesRef(f.since())).thenComparing(f -> new BytesRef(f.host()));

    @Test
    void everyPairOrdersAsItsFieldsInTurn() {
        // Values chosen for the edges of a key made of values in a row: a value that begins another
        // ("h1", "h10"; a since and the same since with a fraction), the empty since (no timeline
        // entry), a byte above ASCII in a host (UTF-8), urgency ranks 0 and 255 and a since or host
        // that would sort otherwise were the fields not separated.
        List<String> states = new ArrayList<>();
        for (CveState s : CveState.values()) {
            states.add(s.word());
        }
        states.add("fix");
        List<Fields> all = new ArrayList<>();
        for (String state : states) {
            for (int urgency : new int[] {0, 1, 7, 255}) {
                for (String since : List.of("", "2026-10-01T00:00:00Z", "2026-10-01T00:00:00.500Z", "2026-10-01T00:00:00.5Z", "2025")) {
                    for (String host : List.of("h1", "h10", "h1-a", "hé", "a", "")) {
                        all.add(new Fields(state, urgency, since, host));
                    }
                }
            }
        }
        int unequal = 0;
        for (Fields a : all) {
            BytesRef ka = key(a);
            for (Fields b : all) {
                int expected = Integer.signum(BY_FIELDS.compare(a, b));
                assertThat(Integer.signum(ka.compareTo(key(b)))).as("%s against %s", a, b).isEqualTo(expected);
                unequal += expected == 0 ? 0 : 1;
            }
        }
        assertThat(unequal).as("pairs that differ, so that the order was tested").isEqualTo(all.size() * (all.size() - 1));
    }

    @Test
    void anUrgencyRankBeyondAByteIsRefused() {
        assertThatThrownBy(() -> CveOrder.key("open", 256, "", "h1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }

    @Test
    void theKeyStandsForTheCveListsUsualOrderAlone() {
        assertThat(CveOrder.standsFor(SearchQuery.parse("host:h1", "cve").sort())).isTrue();
        // Another order, asked for by name, is ranked by its own fields.
        assertThat(CveOrder.standsFor(SearchQuery.parse("sort:-urgency", "cve").sort())).isFalse();
        assertThat(CveOrder.standsFor(SearchQuery.parse("sort:cve_state", "cve").sort())).isFalse();
        assertThat(CveOrder.standsFor(SearchQuery.parse("", "package").sort())).isFalse();
    }

    /**
     * An index a Demi before the key wrote: its CVE documents lack the key until the start after
     * the upgrade writes every host again. Ranked by the key meanwhile, they would come first (a
     * missing value sorts first), whatever their state or age.
     */
    @Test
    void anIndexWrittenBeforeTheKeyIsRankedByTheFieldsUntilEveryHostHoldsIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("index");
        Instant october = Instant.parse("2026-10-01T00:00:00Z");
        Instant november = Instant.parse("2026-11-20T10:00:00Z");
        writtenBefore(dir, CveOrder.FIELD, host("min2", november));
        assertThat(heldByEvery(dir)).isFalse();
        try (FleetIndex index = FleetIndex.open(dir)) {
            index.replaceHost(host("min1", october));
            index.refresh();
            assertThat(hosts(index)).as("min2 has no key: the fields decide, oldest first").containsExactly("min1", "min2");
            index.replaceHost(host("min2", november));
            index.refresh();
            index.commit();
            assertThat(heldByEvery(dir)).as("every host written again").isTrue();
            assertThat(hosts(index)).as("by the key now, the same order").containsExactly("min1", "min2");
        }
    }

    private static boolean heldByEvery(Path dir) throws Exception {
        try (Directory d = FSDirectory.open(dir); IndexReader r = DirectoryReader.open(d)) {
            return CveOrder.heldByEvery(r);
        }
    }

    /** Writes {@code host}'s documents to a new index at {@code dir}, as a Demi before {@code field} did: without it. */
    static void writtenBefore(Path dir, String field, IndexedHost host) throws Exception {
        try (Directory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, new IndexWriterConfig(FullText.ANALYZER))) {
            List<Document> docs = Documents.host(host).documents();
            docs.forEach(doc -> doc.removeField(field));
            w.updateDocuments(new Term(Schema.OWNER, "host:" + host.host()), docs);
            w.commit();
        }
    }

    static IndexedHost host(String name, Instant since) throws Exception {
        return new IndexedHost(name, List.of("web"), Verdict.NON_COMPLIANT, Optional.empty(), "c",
                Optional.of(MinbaseHost.evaluate(name, CveIndexTest.TRACKER)), "",
                new CveTimeline(Map.of("CVE-2026-1001 openssl", since), List.of()), List.of());
    }

    private static List<String> hosts(FleetIndex index) throws Exception {
        return index.search(SearchQuery.parse("type:cve cve:CVE-2026-1001"), 0, 10).rows().stream().map(r -> r.get(IndexField.HOST)).toList();
    }

    private static BytesRef key(Fields f) {
        return CveOrder.key(f.state(), f.urgency(), f.since(), f.host());
    }
}
