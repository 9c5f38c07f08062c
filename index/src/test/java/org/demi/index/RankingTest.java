package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                    int[] expected = collected(searcher, q, total);
                    assertThat(Ranking.rank(searcher, q.query(), q.sort(), total, Ranking.WHOLE, ordinals, new SegmentCounts()))
                            .as(question).containsExactly(expected);
                    assertThat(Ranking.rank(searcher, q.query(), q.sort(), total / 3, Ranking.WHOLE, ordinals, new SegmentCounts(1)))
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
        java.util.Random random = new java.util.Random(23);
        List<IndexedHost> hosts = copies(FleetIndexTest.built(tmp), random);
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
                        int[] expected = collected(searcher, q, total);
                        SegmentCountsTest.Watched<Ranking.Segment> ranker = rankers.computeIfAbsent(question,
                                x -> new SegmentCountsTest.Watched<>(Ranking.ranker(q.sort(), Ranking.WHOLE)));
                        int far = random.nextInt(total + 1);
                        assertThat(Ranking.rank(searcher, q.query(), q.sort(), far, Ranking.WHOLE, ordinals, kept, ranker))
                                .as(question + " to " + far).containsExactly(java.util.Arrays.copyOf(expected, far));
                        assertThat(Ranking.rank(searcher, q.query(), q.sort(), total + 5, Ranking.WHOLE, ordinals, kept)).as(question)
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

    /**
     * Rankings of each segment's first hits alone (as a list of millions of hits is ranked, here
     * 8 and 40 deep over segments of a few hundred documents) give the collector's order as far as
     * their depth, through the same rounds of hosts written again, removed and merged: a ranking
     * that deletions bring under its depth is ranked again from the hits left, and none holds more
     * than half as many again as its depth.
     */
    @Test
    void rankingsOfEachSegmentsFirstHitsAreTheCollectorsOrderAsDeepAsTheyRank() throws Exception {
        java.util.Random random = new java.util.Random(29);
        List<IndexedHost> hosts = copies(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts(1);
        Map<String, Sized> rankers = new HashMap<>();
        List<String> questions = List.of("state:update sort:package", "sort:-version", "type:host sort:-security_updates",
                "sort:state sort:-package");
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(200))) {
            for (IndexedHost h : hosts) {
                SegmentCountsTest.write(writer, h);
            }
            for (int round = 0; round < 30; round++) {
                SegmentCountsTest.churn(writer, hosts, random);
                try (DirectoryReader reader = DirectoryReader.open(writer)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    Map<String, OrdinalMap> ordinals = new HashMap<>();
                    for (String question : questions) {
                        SearchQuery q = SearchQuery.parse(question);
                        int total = searcher.count(q.query());
                        int[] expected = collected(searcher, q, total);
                        for (int depth : new int[] {8, 40}) {
                            Sized ranker = rankers.computeIfAbsent(question + " " + depth, x -> new Sized(Ranking.ranker(q.sort(), depth)));
                            // as deep as the rankings go (where a ranking short of its depth shows), and a page within
                            for (int far : new int[] {Math.min(depth, total), random.nextInt(Math.min(depth, total) + 1)}) {
                                assertThat(Ranking.rank(searcher, q.query(), q.sort(), far, depth, ordinals, kept, ranker))
                                        .as(question + " to " + far + ", " + depth + " deep")
                                        .containsExactly(java.util.Arrays.copyOf(expected, far));
                            }
                            assertThat(ranker.deepest).as(question + ", " + depth + " deep").isLessThanOrEqualTo(depth + depth / 2);
                        }
                    }
                }
            }
            // Segments held more hits than the rankings' depths (some rankings were cut short), and
            // deletions brought some of those under their depth.
            Sized packages = rankers.get("state:update sort:package 8");
            assertThat(packages.cut).isPositive();
            assertThat(packages.rankedAgain).isPositive();
            assertThatThrownBy(() -> Ranking.rank(null, null, SearchQuery.parse("sort:package").sort(), 9, 8, Map.of(), kept))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * One segment of 30 hosts, whose hosts are then removed one by one: the pending updates sorted
     * by package, ranked 8 deep, hold each host's first updates among their first 12 hits, so
     * removals soon leave fewer than 8 of them. Each time, the ranking is ranked again from the
     * hits left, and the first 8 hits are still the collector's; kept as cut down, the segment
     * alone could not give 8.
     */
    @Test
    void aRankingDeletionsBringUnderItsDepthIsRankedAgainFromTheHitsLeft() throws Exception {
        java.util.Random random = new java.util.Random(31);
        List<IndexedHost> hosts = copies(FleetIndexTest.built(tmp), random);
        SearchQuery q = SearchQuery.parse("state:update sort:package");
        SegmentCounts kept = new SegmentCounts(1);
        Sized ranker = new Sized(Ranking.ranker(q.sort(), 8));
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setRAMBufferSizeMB(256)
                     .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))) {
            for (IndexedHost h : hosts) {
                SegmentCountsTest.write(writer, h);
            }
            writer.commit();
            java.util.Collections.shuffle(hosts, random);
            for (IndexedHost gone : hosts.subList(0, 20)) {
                writer.deleteDocuments(new Term(Schema.OWNER, "host:" + gone.host()));
                try (DirectoryReader reader = DirectoryReader.open(writer)) {
                    assertThat(reader.leaves()).as("segments").hasSize(1);
                    IndexSearcher searcher = new IndexSearcher(reader);
                    int total = searcher.count(q.query());
                    int far = Math.min(8, total);
                    assertThat(Ranking.rank(searcher, q.query(), q.sort(), far, 8, new HashMap<>(), kept, ranker))
                            .as("without " + gone.host()).containsExactly(collected(searcher, q, far));
                }
            }
            assertThat(ranker.cut).isPositive();
            assertThat(ranker.rankedAgain).isPositive();
        }
    }

    /** Each step of depths holds the pages to its depth, and the merged hits' most. */
    @Test
    void depthsStepByEightFromTheShallowest() {
        assertThat(Ranking.depthFor(1)).isEqualTo(Ranking.SHALLOWEST);
        assertThat(Ranking.depthFor(Ranking.SHALLOWEST)).isEqualTo(Ranking.SHALLOWEST);
        assertThat(Ranking.depthFor(Ranking.SHALLOWEST + 1)).isEqualTo(8 * Ranking.SHALLOWEST);
        assertThat(Ranking.depthFor(20_000)).isEqualTo(32_768);
        assertThat(Ranking.depthFor(1 << 20)).isGreaterThanOrEqualTo(1 << 20);
        assertThat(Ranking.depthFor(Integer.MAX_VALUE)).isEqualTo(Ranking.WHOLE);
    }

    /** A ranker that notes how many hits its rankings held at most, how many were cut short, and how many ranked again. */
    private static final class Sized implements SegmentCounts.Counter<Ranking.Segment> {
        private final SegmentCounts.Counter<Ranking.Segment> ranker;
        int deepest;
        int cut;
        int rankedAgain;

        Sized(SegmentCounts.Counter<Ranking.Segment> ranker) {
            this.ranker = ranker;
        }

        @Override
        public Ranking.Segment count(org.apache.lucene.index.LeafReaderContext segment, org.apache.lucene.search.DocIdSetIterator docs)
                throws java.io.IOException {
            return noted(ranker.count(segment, docs));
        }

        @Override
        public Ranking.Segment without(Ranking.Segment ranked, org.apache.lucene.index.LeafReaderContext segment,
                org.apache.lucene.search.DocIdSetIterator docs, org.apache.lucene.util.BitSet left) throws java.io.IOException {
            Ranking.Segment out = ranker.without(ranked, segment, docs, left);
            rankedAgain += out.docs().length > ranked.docs().length ? 1 : 0; // fewer left would only ever be taken out
            return noted(out);
        }

        private Ranking.Segment noted(Ranking.Segment s) {
            deepest = Math.max(deepest, s.whole() ? 0 : s.docs().length);
            cut += s.whole() ? 0 : 1;
            return s;
        }
    }

    /** Six copies of each of the fleet's hosts, under names of their own, their CVEs' moments varied. */
    private static List<IndexedHost> copies(FleetIndexTest fleet, java.util.Random random) {
        List<IndexedHost> hosts = new java.util.ArrayList<>();
        for (int copy = 0; copy < 6; copy++) {
            for (IndexedHost h : fleet.indexed) {
                hosts.add(SegmentCountsTest.variant(h, h.host() + "-" + copy, random));
            }
        }
        return hosts;
    }

    /** The first {@code n} hits of the question as Lucene's top-hits collector ranks them. */
    private static int[] collected(IndexSearcher searcher, SearchQuery q, int n) throws java.io.IOException {
        TopDocs top = searcher.search(q.query(), new TopFieldCollectorManager(q.sort(), Math.max(1, n), null, Math.max(1, n)));
        return java.util.Arrays.stream(top.scoreDocs).limit(n).mapToInt(d -> d.doc).toArray();
    }
}
