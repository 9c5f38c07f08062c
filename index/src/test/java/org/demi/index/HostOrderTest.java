package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.FilterCollector;
import org.apache.lucene.search.FilterLeafCollector;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.TopFieldCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lucene index keeps each segment's documents in host order, each host's block as it was
 * written, so that a list sorted by host reads a segment only as far as its page; an index
 * written before that order is written anew.
 */
class HostOrderTest {
    @TempDir
    Path tmp;

    /** The fleet's five hosts written in the reverse of their names' order: four in one segment, the last alone. */
    private FleetIndexTest writtenBackwards(Path dir) throws Exception {
        FleetIndexTest fleet = FleetIndexTest.built(tmp.resolve("fleet"));
        List<IndexedHost> backwards = new ArrayList<>(fleet.indexed);
        backwards.sort((a, b) -> b.host().compareTo(a.host()));
        try (FleetIndex index = FleetIndex.open(dir)) {
            for (int i = 0; i < backwards.size(); i++) {
                index.replaceHost(backwards.get(i));
                if (i == 3) {
                    index.refresh(); // a segment of the first four
                }
            }
            index.commit();
        }
        return fleet;
    }

    @Test
    void eachSegmentHoldsItsHostsInOrderAndEachHostsBlockAsWritten() throws Exception {
        Path dir = tmp.resolve("index");
        FleetIndexTest fleet = writtenBackwards(dir);
        Map<String, List<String>> written = new LinkedHashMap<>();
        for (IndexedHost h : fleet.indexed) {
            written.put(h.host(), Documents.host(h).documents().stream().map(d -> d.get("type") + " " + d.get("package")).toList());
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
            assertThat(reader.leaves()).hasSize(2);
            Map<String, List<String>> read = new LinkedHashMap<>();
            for (LeafReaderContext leaf : reader.leaves()) {
                assertThat(leaf.reader().getMetaData().getSort()).isEqualTo(LuceneIndex.ORDER);
                List<String> hosts = new ArrayList<>();
                LeafReader r = leaf.reader();
                SortedDocValues host = r.getSortedDocValues("host");
                SortedDocValues type = r.getSortedDocValues("type");
                SortedDocValues pkg = r.getSortedDocValues("package");
                Bits live = r.getLiveDocs();
                for (int doc = 0; doc < r.maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    assertThat(host.advanceExact(doc)).isTrue();
                    String name = host.lookupOrd(host.ordValue()).utf8ToString();
                    hosts.add(name);
                    assertThat(type.advanceExact(doc)).isTrue();
                    String p = pkg.advanceExact(doc) ? pkg.lookupOrd(pkg.ordValue()).utf8ToString() : null;
                    read.computeIfAbsent(name, k -> new ArrayList<>()).add(type.lookupOrd(type.ordValue()).utf8ToString() + " " + p);
                }
                // Written z to a, held a to z.
                assertThat(hosts).isSorted();
            }
            // Within a host, the documents are where its block put them: the host's first, its CVEs', its packages' in its order.
            assertThat(read).isEqualTo(written);
        }
    }

    @Test
    void aListSortedByHostStopsReadingASegmentOnceItsPageIsFull() throws Exception {
        Path dir = tmp.resolve("index");
        FleetIndexTest fleet = writtenBackwards(dir);
        // dpkg is on every host: four hits in the first segment, one in the second.
        SearchQuery q = SearchQuery.parse("sort:host", "package").within(SearchQuery.builder("package").is(IndexField.PACKAGE, "dpkg").build());
        assertThat(q.sort()).isEqualTo(LuceneIndex.ORDER);
        try (DirectoryReader sorted = DirectoryReader.open(FSDirectory.open(dir));
             ByteBuffersDirectory plainDir = new ByteBuffersDirectory()) {
            try (IndexWriter w = new IndexWriter(plainDir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
                fleet.writeInSegments(w);
            }
            try (DirectoryReader plain = DirectoryReader.open(plainDir)) {
                int[] inOrder = new int[1];
                int[] asWritten = new int[1];
                List<Integer> first = firstPage(new FleetSearcher(sorted), q, inOrder);
                List<Integer> firstPlain = firstPage(new FleetSearcher(plain), q, asWritten);
                assertThat(asWritten[0]).as("without the order, every hit is read").isEqualTo(5);
                // With it: the page's hit and the one after it in the first segment (which ends the segment), the second's one.
                assertThat(inOrder[0]).isEqualTo(3);
                assertThat(hosts(sorted, first)).isEqualTo(hosts(plain, firstPlain)).containsExactly("bull-old");
            }
        }
    }

    /** The first hit of {@code q} in its order; {@code read} counts the hits the collector was given. */
    private static List<Integer> firstPage(IndexSearcher searcher, SearchQuery q, int[] read) throws Exception {
        TopFieldCollector top = new TopFieldCollectorManager(q.sort(), 1, null, 1).newCollector();
        Collector counting = new FilterCollector(top) {
            @Override
            public LeafCollector getLeafCollector(LeafReaderContext context) throws java.io.IOException {
                return new FilterLeafCollector(super.getLeafCollector(context)) {
                    @Override
                    public void collect(int doc) throws java.io.IOException {
                        read[0]++;
                        super.collect(doc);
                    }
                };
            }
        };
        searcher.search(q.query(), counting);
        return java.util.Arrays.stream(top.topDocs().scoreDocs).map(d -> d.doc).toList();
    }

    private static List<String> hosts(DirectoryReader reader, List<Integer> docs) throws Exception {
        List<String> out = new ArrayList<>();
        for (int doc : docs) {
            out.add(reader.storedFields().document(doc).get("host"));
        }
        return out;
    }

    @Test
    void anIndexWrittenWithoutTheOrderIsWrittenAnewAndOneWithItIsKept() throws Exception {
        Path dir = tmp.resolve("index");
        FleetIndexTest fleet = FleetIndexTest.built(tmp.resolve("fleet"));
        // As an earlier Demi left it: the fleet's documents in no order, a judgement's fingerprint in the commit.
        try (IndexWriter w = new IndexWriter(FSDirectory.open(dir), new IndexWriterConfig())) {
            w.setLiveCommitData(Map.of("demi.judged-by", "earlier").entrySet());
            fleet.writeInSegments(w);
        }
        try (FleetIndex index = FleetIndex.open(dir)) {
            // Nothing kept, not even the fingerprint: the start judges and writes every host again.
            assertThat(index.count(SearchQuery.parse("type:host"))).isZero();
            assertThat(index.judgedBy()).isEmpty();
            index.replaceHost(fleet.indexed.get(0));
            index.judgedBy(Optional.of("now"));
            index.commit();
        }
        try (FleetIndex index = FleetIndex.open(dir)) {
            assertThat(index.count(SearchQuery.parse("type:host"))).isEqualTo(1);
            assertThat(index.judgedBy()).contains("now");
        }
    }
}
