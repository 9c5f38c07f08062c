package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A type is left unchecked beside a term of a field only that type's documents hold, and only
 * there; and the schema's word for which fields those are holds in a real fleet's index.
 */
class FleetSearcherTest {
    @Test
    void aPackagesTermNeedsNoTypeBesideIt() {
        Query page = SearchQuery.builder("package").is(IndexField.PACKAGE, "openssl").build().query();
        assertThat(terms(FleetSearcher.cheaper(page))).as("a package's page").containsExactly("package:openssl");
        assertThat(terms(FleetSearcher.cheaper(new ConstantScoreQuery(page)))).as("as a search that needs no scores asks it")
                .containsExactly("package:openssl");
        assertThat(terms(FleetSearcher.cheaper(SearchQuery.parse("type:package state:security-update group:web").query())))
                .containsExactlyInAnyOrder("state:security-update", "group:web");
    }

    @Test
    void aTypeIsCheckedBesideAnythingElse() {
        for (String asked : List.of(
                "type:package source:openssl", // a CVE document and an advisory name a source too
                "type:package cve:CVE-2023-0286", // as they name CVEs
                "type:package package:libssl*", // a prefix, not a term
                "type:package package:openssl,libssl3", // either: not a required term
                "type:host group:web",
                "type:package host:min1")) {
            Query q = SearchQuery.parse(asked).query();
            assertThat(FleetSearcher.cheaper(q).toString()).as(asked).contains(SearchQuery.typeIs(asked.split(" ")[0].substring(5)).toString());
        }
    }

    /**
     * A required term of a keyword beside another required clause may be checked on its doc
     * value (Lucene chooses, by which clause has the fewer hits); a term alone, a several-valued
     * field's and a prefix are left as asked.
     */
    @Test
    void aKeywordBesideAnotherClauseMayBeCheckedOnItsDocValue() {
        Query q = FleetSearcher.cheaper(SearchQuery.parse("type:package source:openssl state:security-update group:web").query());
        assertThat(q.toString()).as("source and state, keywords; group, several-valued")
                .contains("IndexOrDocValuesQuery(indexQuery=source:openssl", "IndexOrDocValuesQuery(indexQuery=state:security-update")
                .doesNotContain("indexQuery=group:web");
        assertThat(terms(q)).as("the same terms").containsExactlyInAnyOrder("source:openssl", "state:security-update", "group:web");
        Query alone = FleetSearcher.cheaper(SearchQuery.builder("package").is(IndexField.PACKAGE, "openssl").build().query());
        assertThat(alone.toString()).as("a package's page: its term alone once the type is left out").doesNotContain("IndexOrDocValues");
        Query prefix = SearchQuery.parse("type:package state:security*").query();
        assertThat(FleetSearcher.cheaper(prefix).toString()).doesNotContain("indexQuery=state");
    }

    /**
     * What makes checking a keyword on its doc value right: every keyword field in a real fleet's
     * index has a single sorted doc value, and for each of its terms the documents whose doc value
     * is that term are exactly the documents its postings list.
     */
    @Test
    void eachKeywordsDocValueFindsTheDocumentsItsTermDoes(@TempDir Path tmp) throws Exception {
        FleetIndexTest.built(tmp);
        int fields = 0;
        int terms = 0;
        try (Directory d = FSDirectory.open(tmp.resolve("index")); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r);
            s.setQueryCache(null);
            for (IndexField f : IndexField.values()) {
                if (f.kind() != IndexField.Kind.KEYWORD) {
                    continue;
                }
                org.apache.lucene.index.FieldInfo info = org.apache.lucene.index.FieldInfos.getMergedFieldInfos(r).fieldInfo(f.word());
                if (info == null) {
                    continue; // no document of the test fleet holds it
                }
                fields++;
                assertThat(info.getDocValuesType()).as(f.word()).isEqualTo(org.apache.lucene.index.DocValuesType.SORTED);
                org.apache.lucene.index.TermsEnum values = org.apache.lucene.index.MultiTerms.getTerms(r, f.word()).iterator();
                for (org.apache.lucene.util.BytesRef v = values.next(); v != null; v = values.next()) {
                    Query term = new org.apache.lucene.search.TermQuery(new Term(f.word(), org.apache.lucene.util.BytesRef.deepCopyOf(v)));
                    Query docValue = org.apache.lucene.document.SortedDocValuesField.newSlowExactQuery(f.word(),
                            org.apache.lucene.util.BytesRef.deepCopyOf(v));
                    Query both = new BooleanQuery.Builder().add(term, BooleanClause.Occur.FILTER).add(docValue, BooleanClause.Occur.FILTER).build();
                    int n = s.count(term);
                    assertThat(n).as(term.toString()).isPositive();
                    assertThat(s.count(docValue)).as(term + " by its doc value").isEqualTo(n);
                    assertThat(s.count(both)).as(term + ", the same documents").isEqualTo(n);
                    terms++;
                }
            }
        }
        assertThat(fields).as("keyword fields held").isGreaterThanOrEqualTo(15);
        assertThat(terms).isGreaterThan(100);
    }

    /** Each field the schema says one type holds alone is held in the fleet's index, and by no document of another type. */
    @Test
    void noOtherTypeHoldsAFieldOneTypeHoldsAlone(@TempDir Path tmp) throws Exception {
        FleetIndexTest.built(tmp);
        int checked = 0;
        try (Directory d = FSDirectory.open(tmp.resolve("index")); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r); // Lucene's own: the questions asked as they are
            for (String type : Schema.TYPES) {
                for (IndexField f : IndexField.values()) {
                    if (!Schema.heldOnlyBy(type, f.word())) {
                        continue;
                    }
                    Query held = new FieldExistsQuery(f.word());
                    assertThat(s.count(held)).as(f + " is held").isPositive();
                    Query elsewhere = new BooleanQuery.Builder().add(held, BooleanClause.Occur.FILTER)
                            .add(SearchQuery.typeIs(type), BooleanClause.Occur.MUST_NOT).build();
                    assertThat(s.count(elsewhere)).as(f + " held by a document not of type " + type).isZero();
                    checked++;
                }
            }
            assertThat(s.count(SearchQuery.builder("advisory").build().query())).as("advisories among the documents").isPositive();
        }
        assertThat(checked).isEqualTo(3);
    }

    /**
     * A segment without a hit is left before the collector is set up in it, and every answer
     * (rows in order, totals, counts) is Lucene's own, over segments with deleted documents
     * ({@link FleetIndexTest#writeInSegments}).
     */
    @Test
    void aSegmentWithoutAHitIsLeftBeforeTheCollectorIsSetUp(@TempDir Path tmp) throws Exception {
        FleetIndexTest fleet = FleetIndexTest.built(tmp);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
            fleet.writeInSegments(writer);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertThat(reader.leaves().size()).as("segments").isGreaterThan(2);
                assertThat(reader.numDeletedDocs()).isPositive();
                IndexSearcher fleetSearcher = new FleetSearcher(reader);
                IndexSearcher lucenes = new IndexSearcher(reader);

                String host = fleet.indexed.get(0).host();
                Query hostsPackages = SearchQuery.parse("type:package host:" + host).query();
                assertThat(segmentsSetUp(lucenes, hostsPackages)).as("Lucene's searcher").hasSize(reader.leaves().size());
                assertThat(segmentsSetUp(fleetSearcher, hostsPackages)).as("the fleet's searcher: the host's segment alone").containsExactly(0);

                for (String asked : List.of("type:package host:" + host, "type:package host:" + fleet.indexed.get(1).host(), "type:cve host:" + host,
                        "type:package", "type:package state:update", "type:host sort:-security_updates", "type:package host:nosuchhost",
                        "type:cve sort:since")) {
                    SearchQuery q = SearchQuery.parse(asked);
                    for (int n : new int[] {1, 10, 1000}) {
                        TopDocs ours = fleetSearcher.search(q.query(), new TopFieldCollectorManager(q.sort(), n, null, Integer.MAX_VALUE));
                        TopDocs theirs = lucenes.search(q.query(), new TopFieldCollectorManager(q.sort(), n, null, Integer.MAX_VALUE));
                        assertThat(ours.totalHits).as(asked + ", " + n).isEqualTo(theirs.totalHits);
                        assertThat(docs(ours)).as(asked + ", " + n).containsExactly(docs(theirs));
                    }
                    assertThat(fleetSearcher.count(q.query())).as(asked).isEqualTo(lucenes.count(q.query()));
                }
                assertThat(lucenes.count(SearchQuery.parse("type:package host:" + host).query())).as("a host's packages").isPositive();
            }
        }
    }

    /** The segments a search set its collector up in. */
    private static List<Integer> segmentsSetUp(IndexSearcher searcher, Query q) throws Exception {
        List<Integer> setUp = new ArrayList<>();
        searcher.search(q, new SimpleCollector() {
            @Override
            protected void doSetNextReader(LeafReaderContext context) {
                setUp.add(context.ord);
            }

            @Override
            public void collect(int doc) {
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        });
        return setUp;
    }

    private static int[] docs(TopDocs top) {
        return java.util.Arrays.stream(top.scoreDocs).mapToInt(d -> d.doc).toArray();
    }

    /** The terms a question asks for, those of a CVE's host CVE documents ({@link ExposureQuery}) left out. */
    static List<String> terms(Query q) {
        List<String> found = new ArrayList<>();
        q.visit(new QueryVisitor() {
            @Override
            public void consumeTerms(Query query, Term... terms) {
                for (Term t : terms) {
                    found.add(t.toString());
                }
            }

            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return parent instanceof ExposureQuery ? EMPTY_VISITOR : this;
            }
        });
        return found;
    }
}
