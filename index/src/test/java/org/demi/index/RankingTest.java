package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.OrdinalMap;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hit ranked by numbers is in exactly the order Lucene's top-hits collector gives, over the
 * real evaluations of FleetIndexTest's five hosts written in many small segments (so the
 * keywords' global ordinals span segments), one host written twice (so some documents are
 * deleted), for sorts on keywords, versions and numbers, ascending and descending, with values
 * missing, and ties.
 */
class RankingTest {
    @TempDir
    Path tmp;

    static final List<String> QUESTIONS = List.of("sort:package", "state:update sort:-package", "sort:-version", "sort:newest",
            "sort:-newest", "sort:security_version", "arch:all sort:-source_version", "sort:state sort:-package", "sort:-attention",
            "", "type:host sort:-security_updates", "type:host sort:release", "type:host sort:-oldest_advisory", "type:host",
            "type:advisory", "type:advisory sort:source",
            "tls library sort:package");

    @Test
    void ranksAsTheTopHitsCollectorDoes() throws Exception {
        FleetIndexTest fleet = FleetIndexTest.built(tmp);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(300)
                     .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))) {
            for (IndexedHost h : fleet.indexed) {
                writer.updateDocuments(new Term(Schema.OWNER, "host:" + h.host()), Documents.host(h).documents());
            }
            IndexedHost again = fleet.indexed.get(1);
            writer.updateDocuments(new Term(Schema.OWNER, "host:" + again.host()), Documents.host(again).documents());
            for (org.apache.lucene.document.Document d : fleet.dsa.advisories().stream().map(a -> {
                try {
                    return Documents.advisory(a);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()) {
                writer.addDocument(d);
            }
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertThat(reader.leaves().size()).as("segments").isGreaterThan(5);
                assertThat(reader.numDeletedDocs()).isPositive();
                IndexSearcher searcher = new IndexSearcher(reader);
                Map<String, OrdinalMap> ordinals = new HashMap<>();
                for (String question : QUESTIONS) {
                    SearchQuery q = SearchQuery.parse(question);
                    assertThat(Ranking.supports(q.sort())).as(question).isTrue();
                    int total = searcher.count(q.query());
                    assertThat(total).as(question).isPositive();
                    TopDocs top = searcher.search(q.query(), new TopFieldCollectorManager(q.sort(), total, null, total));
                    int[] expected = java.util.Arrays.stream(top.scoreDocs).mapToInt(d -> d.doc).toArray();
                    assertThat(Ranking.rank(searcher, q.query(), q.sort(), total, ordinals, new SegmentCounts()))
                            .as(question).containsExactly(expected);
                    assertThat(Ranking.rank(searcher, q.query(), q.sort(), total / 3, ordinals, new SegmentCounts(1)))
                            .as(question + ", its first third").containsExactly(java.util.Arrays.copyOf(expected, total / 3));
                }
            }
        }
    }

    /**
     * Rankings kept per segment through rounds of hosts written again, removed and merged (the
     * deleted hits taken out of a segment's ranking, new segments ranked, merged ones ranked
     * again) still give the collector's order, as far as a page asks and in whole.
     */
    @Test
    void rankingsKeptFromReaderToReaderAreTheCollectorsOrder() throws Exception {
        FleetIndexTest fleet = FleetIndexTest.built(tmp);
        java.util.Random random = new java.util.Random(23);
        List<IndexedHost> hosts = new java.util.ArrayList<>();
        for (int copy = 0; copy < 6; copy++) {
            for (IndexedHost h : fleet.indexed) {
                hosts.add(SegmentCountsTest.variant(h, h.host() + "-" + copy, random));
            }
        }
        SegmentCounts kept = new SegmentCounts(1);
        Map<String, SegmentCountsTest.Watched<Ranking.Segment>> rankers = new HashMap<>();
        List<String> questions = List.of("state:update sort:package", "sort:-version", "type:host sort:-security_updates",
                "type:host sort:release", "sort:state sort:-package");
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(200))) {
            for (IndexedHost h : hosts) {
                SegmentCountsTest.write(writer, h);
            }
            int compared = 0;
            int spanned = 0; // rounds whose hits were merged from several segments
            int leaves = 0; // segments of every round's reader
            for (int round = 0; round < 30; round++) {
                SegmentCountsTest.churn(writer, hosts, random);
                try (DirectoryReader reader = DirectoryReader.open(writer)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    Map<String, OrdinalMap> ordinals = new HashMap<>();
                    for (String question : questions) {
                        SearchQuery q = SearchQuery.parse(question);
                        int total = searcher.count(q.query());
                        assertThat(total).as(question).isPositive();
                        TopDocs top = searcher.search(q.query(), new TopFieldCollectorManager(q.sort(), total, null, total));
                        int[] expected = java.util.Arrays.stream(top.scoreDocs).mapToInt(d -> d.doc).toArray();
                        SegmentCountsTest.Watched<Ranking.Segment> ranker = rankers.computeIfAbsent(question,
                                x -> new SegmentCountsTest.Watched<>(Ranking.ranker(q.sort())));
                        int far = random.nextInt(total + 1);
                        assertThat(Ranking.rank(searcher, q.query(), q.sort(), far, ordinals, kept, ranker)).as(question + " to " + far)
                                .containsExactly(java.util.Arrays.copyOf(expected, far));
                        assertThat(Ranking.rank(searcher, q.query(), q.sort(), total + 5, ordinals, kept)).as(question)
                                .containsExactly(expected);
                        compared += total;
                    }
                    spanned += reader.leaves().size() > 1 ? 1 : 0;
                    leaves += reader.leaves().size();
                }
            }
            assertThat(compared).isPositive();
            assertThat(spanned).isGreaterThan(20);
            // Rankings were brought up to date by taking deleted hits out, and fewer segments were
            // ranked whole than the readers had: those a refresh neither wrote nor merged were kept.
            SegmentCountsTest.Watched<Ranking.Segment> packages = rankers.get("state:update sort:package");
            assertThat(packages.without).isPositive();
            assertThat(packages.whole).isLessThan(leaves);
        }
    }
}
