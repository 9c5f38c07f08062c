package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CVE's host CVE documents are asked by the field only they hold, wherever a question asks
 * for the type and the CVE together, and only there; a segment written before the field is
 * asked the two terms and answers the same.
 */
class ExposureQueryTest {
    @Test
    void theTypeAndTheCveTogetherBecomeOneQuestion() {
        Query hosts = SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-1001").build().query();
        assertThat(exposures(FleetSearcher.cheaper(hosts))).as("a CVE's hosts, as its page asks").containsExactly("CVE-2026-1001");
        assertThat(exposures(FleetSearcher.cheaper(new ConstantScoreQuery(hosts))))
                .as("as a search that needs no scores asks it of Lucene").containsExactly("CVE-2026-1001");
        Query narrowed = FleetSearcher.cheaper(SearchQuery.parse("type:cve cve:CVE-2026-1001 cve_state:no-fix urgency:high").query());
        assertThat(exposures(narrowed)).containsExactly("CVE-2026-1001");
        assertThat(FleetSearcherTest.terms(narrowed)).as("the other words still hold; the type is the new question's own")
                .contains("cve_state:no-fix", "urgency:high").doesNotContain("type:cve");
        // A page's question with words typed into its search box: the page's part is nested.
        SearchQuery page = SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-1001").build();
        assertThat(exposures(FleetSearcher.cheaper(SearchQuery.parse("group:web", "cve").within(page).query())))
                .containsExactly("CVE-2026-1001");
    }

    @Test
    void otherQuestionsAboutACveAreLeftAsAsked() {
        for (String asked : List.of(
                "type:package cve:CVE-2026-1001", // installed packages hold the CVE too, and not the field
                "type:advisory cve:CVE-2026-1001",
                "type:cve cve:CVE-2026-1001,CVE-2026-1002", // either CVE: not a required term
                "type:cve cve:CVE-2026-*", // a prefix
                "type:cve host:min1")) {
            Query q = SearchQuery.parse(asked).query();
            Query searched = FleetSearcher.cheaper(q);
            assertThat(exposures(searched)).as(asked).isEmpty();
            // the same terms, the type's among them (a keyword's term may be checked on its doc value, FleetSearcherTest)
            assertThat(FleetSearcherTest.terms(searched)).as(asked).containsExactlyInAnyOrderElementsOf(FleetSearcherTest.terms(q));
            assertThat(searched.toString()).as(asked).contains(SearchQuery.typeIs(asked.split(" ")[0].substring(5)).toString());
        }
    }

    /**
     * An index a Demi before the field wrote: its host CVE documents lack it until the start after
     * the upgrade writes every host again. Asked by the field alone, such a segment's hosts would
     * be missing from the CVE's page.
     */
    @Test
    void aSegmentWrittenBeforeTheFieldIsAskedTheTwoTerms(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("index");
        Instant october = Instant.parse("2026-10-01T00:00:00Z");
        Instant november = Instant.parse("2026-11-20T10:00:00Z");
        CveOrderTest.writtenBefore(dir, ExposureQuery.FIELD, CveOrderTest.host("min2", november));
        assertThat(segmentsHolding(dir)).as("the old segment").containsExactly(false);
        try (FleetIndex index = FleetIndex.open(dir)) {
            index.replaceHost(CveOrderTest.host("min1", october));
            index.refresh();
            index.commit();
            assertThat(segmentsHolding(dir)).as("an old segment and a new one").containsExactlyInAnyOrder(false, true);
            assertThat(hosts(index)).containsExactly("min1", "min2");
            assertThat(index.count(SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-1001").build())).isEqualTo(2);
            index.replaceHost(CveOrderTest.host("min2", november));
            index.refresh();
            index.commit();
            assertThat(segmentsHolding(dir)).as("every host written again").doesNotContain(false);
            assertThat(hosts(index)).containsExactly("min1", "min2");
            assertThat(index.count(SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-1001").build())).isEqualTo(2);
        }
    }

    /** For each segment with host CVE documents, whether every one holds the field. */
    private static List<Boolean> segmentsHolding(Path dir) throws Exception {
        try (Directory d = FSDirectory.open(dir); IndexReader r = DirectoryReader.open(d)) {
            return r.leaves().stream().filter(l -> docFreq(l, new Term(Schema.TYPE, "cve")) > 0).map(l -> {
                try {
                    org.apache.lucene.index.Terms own = l.reader().terms(ExposureQuery.FIELD);
                    return own != null && own.getDocCount() == l.reader().docFreq(new Term(Schema.TYPE, "cve"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int docFreq(org.apache.lucene.index.LeafReaderContext l, Term t) {
        try {
            return l.reader().docFreq(t);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> hosts(FleetIndex index) throws Exception {
        return index.search(SearchQuery.parse("type:cve cve:CVE-2026-1001"), 0, 10).rows().stream().map(r -> r.get(IndexField.HOST)).toList();
    }

    private static List<String> exposures(Query q) {
        List<String> found = new java.util.ArrayList<>();
        collect(q, found);
        return found;
    }

    private static void collect(Query q, List<String> found) {
        if (q instanceof ConstantScoreQuery c) {
            collect(c.getQuery(), found);
        } else if (q instanceof ExposureQuery) {
            found.add(q.toString().substring(q.toString().lastIndexOf(':') + 1));
        } else if (q instanceof BooleanQuery b) {
            for (BooleanClause c : b.clauses()) {
                collect(c.getQuery(), found);
            }
        }
    }
}
