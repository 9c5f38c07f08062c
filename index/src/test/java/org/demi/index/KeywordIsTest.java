package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.fleet.CveTimeline;
import org.demi.compliance.evaluation.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyword's condition ({@link SearchQuery#keywordIs}) is searched by its postings or checked on
 * its doc values, whichever Lucene finds cheaper beside the other filters: the two must find the
 * same documents, for every keyword field and every value the fleet's documents hold (a field
 * written with no doc values, or doc values other than its terms, would make a page's answer
 * depend on how narrow its other filters are).
 */
class KeywordIsTest {
    @TempDir
    Path tmp;

    private static List<Integer> docs(IndexSearcher searcher, Query q) throws Exception {
        List<Integer> docs = new ArrayList<>();
        for (ScoreDoc d : searcher.search(q, Integer.MAX_VALUE / 2, Sort.INDEXORDER).scoreDocs) {
            docs.add(d.doc);
        }
        return docs;
    }

    @Test
    void everyKeywordsDocValuesFindWhatItsTermsFind() throws Exception {
        FleetIndexTest.built(tmp);
        // and a host open to CVEs, for the CVE documents' keywords (state, urgency, scope, since)
        try (FleetIndex index = FleetIndex.open(tmp.resolve("index"))) {
            CveTimeline timeline = new CveTimeline(Map.of("CVE-2026-1001 openssl", Instant.parse("2026-11-20T10:00:00Z")), List.of());
            index.replaceHost(new IndexedHost("cve1", List.of("web"), Verdict.NON_COMPLIANT, Optional.empty(), "c",
                    Optional.of(MinbaseHost.evaluate("cve1", CveIndexTest.TRACKER)), "", timeline, List.of()));
            index.commit();
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(tmp.resolve("index")))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setQueryCache(null);
            int values = 0;
            List<IndexField> fields = new ArrayList<>();
            for (IndexField f : IndexField.values()) {
                Terms terms = f.kind() == IndexField.Kind.KEYWORD ? MultiTerms.getTerms(reader, f.word()) : null;
                if (terms == null) {
                    continue;
                }
                fields.add(f);
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    BytesRef value = BytesRef.deepCopyOf(t);
                    List<Integer> byTerm = docs(searcher, new TermQuery(new Term(f.word(), value)));
                    assertThat(byTerm).as(f + ":" + value.utf8ToString()).isNotEmpty();
                    assertThat(docs(searcher, SortedDocValuesField.newSlowExactQuery(f.word(), value))).as(f + ":" + value.utf8ToString())
                            .isEqualTo(byTerm);
                    values++;
                }
            }
            assertThat(fields).contains(IndexField.TYPE, IndexField.HOST, IndexField.PACKAGE, IndexField.SOURCE, IndexField.STATE,
                    IndexField.CVE_STATE, IndexField.URGENCY, IndexField.SCOPE, IndexField.SINCE);
            assertThat(values).as("values compared").isGreaterThan(500);
        }
    }

    /** Typed or built, a keyword's condition is the two-way one; a several-valued field's stays a term, which has no such doc values. */
    @Test
    void keywordConditionsAreTwoWayAndReadAsTheirTerm() {
        Query source = SearchQuery.parse("source:openssl").query();
        assertThat(source.toString()).contains("IndexOrDocValuesQuery");
        Query built = SearchQuery.builder("package").is(IndexField.STATE, "security-update").build().query();
        org.apache.lucene.search.BooleanQuery b = (org.apache.lucene.search.BooleanQuery) built;
        assertThat(b.clauses()).allSatisfy(c -> assertThat(c.getQuery()).isInstanceOf(IndexOrDocValuesQuery.class));
        assertThat(SearchQuery.term(b.clauses().get(1).getQuery())).contains(new Term("state", "security-update"));
        Query group = SearchQuery.builder("host").is(IndexField.GROUP, "web").build().query();
        assertThat(((org.apache.lucene.search.BooleanQuery) group).clauses().get(1).getQuery()).isInstanceOf(TermQuery.class);
    }
}
