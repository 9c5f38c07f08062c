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
            assertThat(FleetSearcher.cheaper(q)).as(asked).isSameAs(q);
        }
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
