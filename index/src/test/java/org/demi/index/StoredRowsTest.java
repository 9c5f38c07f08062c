package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page's rows are each its own document's, in the page's order, whether a hit is read alone or
 * beside its neighbours through the reader that keeps a chunk: over FleetIndexTest's five real
 * evaluations written with Demi's codec into many small segments (a chunk kept must not leak
 * from one segment into the next), one host written twice (deleted documents among the hits'
 * neighbours).
 */
class StoredRowsTest {
    @TempDir
    Path tmp;

    @Test
    void eachRowIsItsOwnDocumentInThePagesOrder() throws Exception {
        FleetIndexTest fleet = FleetIndexTest.built(tmp);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setCodec(new RowCodec())
                     .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))) {
            fleet.writeInSegments(writer);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertThat(reader.leaves().size()).as("segments").isGreaterThan(3);
                assertThat(reader.numDeletedDocs()).isPositive();
                IndexSearcher searcher = new IndexSearcher(reader);
                Bits live = org.apache.lucene.index.MultiBits.getLiveDocs(reader);
                List<Integer> docs = new ArrayList<>();
                for (int d = 0; d < reader.maxDoc(); d++) {
                    if (live == null || live.get(d)) {
                        docs.add(d);
                    }
                }
                // Every live document, shuffled: runs of neighbours (read with their chunk kept) across every segment.
                List<Integer> all = new ArrayList<>(docs);
                Collections.shuffle(all, new Random(17));
                assertRowsAreTheirDocuments(searcher, all, 0, all.size());
                // A sparse page: every third of the first thousand (neighbours, with gaps), then one in 97 (alone), shuffled,
                // of which a window.
                List<Integer> sparse = new ArrayList<>();
                for (int i = 0; i < docs.size(); i += i < 1000 ? 3 : 97) {
                    sparse.add(docs.get(i));
                }
                Collections.shuffle(sparse, new Random(5));
                assertRowsAreTheirDocuments(searcher, sparse, 7, sparse.size() - 3);
            }
        }
    }

    /** The rows of {@code hits} from {@code from} to {@code to} are, in that order, those documents as Lucene reads each alone. */
    private static void assertRowsAreTheirDocuments(IndexSearcher searcher, List<Integer> hits, int from, int to) throws Exception {
        int[] page = hits.stream().mapToInt(Integer::intValue).toArray();
        List<Row> rows = StoredRows.read(searcher, page, from, to);
        assertThat(rows).hasSize(to - from);
        for (int i = from; i < to; i++) {
            Document d = searcher.storedFields().document(page[i]);
            Row r = rows.get(i - from);
            assertThat(r.get(IndexField.HOST)).as("doc %d", page[i]).isEqualTo(d.get(Schema.HOST));
            assertThat(r.values().get(Schema.TYPE)).as("doc %d", page[i]).isEqualTo(d.get(Schema.TYPE));
            assertThat(r.get(IndexField.PACKAGE)).as("doc %d", page[i]).isEqualTo(d.get("package") == null ? "" : d.get("package"));
            assertThat(r.get(IndexField.CVE)).as("doc %d", page[i]).isEqualTo(d.get("cve") == null ? "" : d.get("cve"));
            long stored = d.getFields().stream().filter(f -> f.fieldType().stored()).count();
            long read = r.values().entrySet().stream().filter(e -> IndexField.TIMES.stream().noneMatch(t -> t.word().equals(e.getKey())))
                    .mapToLong(e -> e.getValue() instanceof List<?> l ? l.size() : 1).sum();
            assertThat(read).as("values of doc %d", page[i]).isEqualTo(stored);
            // And the same as a page of this one hit, which is read alone (equal by value: another read, another row).
            assertThat(r).isEqualTo(StoredRows.read(searcher, new int[] {page[i]}, 0, 1).get(0));
            // The row keeps the map it was read into, uncopied: no one can change it through the row.
            assertThatThrownBy(() -> r.values().put(Schema.HOST, "another")).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
