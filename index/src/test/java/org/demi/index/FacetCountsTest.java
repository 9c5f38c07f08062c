package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A segment's first ordinals by count, against sorting all of them, over counts with many ties and many zeros. */
class FacetCountsTest {
    @Test
    void aSegmentsFirstOrdinalsAreThoseASortOfAllGives() {
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            int[] c = random.ints(random.nextInt(60), 0, 1 + random.nextInt(4)).toArray(); // counts 0 to 3: ties everywhere
            int n = 1 + random.nextInt(12);
            int[] sorted = IntStream.range(0, c.length).filter(o -> c[o] > 0).boxed()
                    .sorted((a, b) -> c[a] != c[b] ? Integer.compare(c[b], c[a]) : Integer.compare(a, b))
                    .limit(n).mapToInt(Integer::intValue).toArray();
            assertThat(FacetCounts.firstOrds(c, Math.min(n, c.length))).as(java.util.Arrays.toString(c) + " first " + n).containsExactly(sorted);
        }
        assertThat(FacetCounts.firstOrds(new int[0], 0)).isEmpty();
        assertThat(FacetCounts.firstOrds(new int[] {0, 0, 0}, 2)).isEmpty();
    }

    /**
     * A segment's counts, read a chunk of documents at a time and a single-valued dimension as
     * the single value Lucene stores, are those of reading every document's values one by one:
     * over 10,000 documents (chunks of 4,096 and a rest), some without a value, a dimension held
     * once (release) and one held several times (group); for every document, a random half, and
     * the half taken out again.
     */
    @Test
    void countsReadInChunksAreCountsReadDocumentByDocument() throws Exception {
        Random random = new Random(5);
        try (org.apache.lucene.store.ByteBuffersDirectory dir = new org.apache.lucene.store.ByteBuffersDirectory();
             org.apache.lucene.index.IndexWriter writer = new org.apache.lucene.index.IndexWriter(dir,
                     new org.apache.lucene.index.IndexWriterConfig())) {
            for (int doc = 0; doc < 10_000; doc++) {
                org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
                if (random.nextInt(10) > 0) {
                    d.add(new org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField("release", "r" + random.nextInt(7)));
                }
                for (int g = 0, n = random.nextInt(4); g < n; g++) {
                    d.add(new org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField("group", "g" + random.nextInt(30)));
                }
                writer.addDocument(Documents.FACETS.build(d));
            }
            writer.forceMerge(1);
            try (org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(writer)) {
                org.apache.lucene.index.LeafReaderContext segment = reader.leaves().get(0);
                assertThat(org.apache.lucene.index.DocValues.unwrapSingleton(segment.reader()
                        .getSortedSetDocValues(Schema.facetField("release")))).as("read as one value").isNotNull();
                FacetCounts facets = new FacetCounts(List.of("release", "group"), java.util.Map.of());
                org.apache.lucene.util.FixedBitSet all = new org.apache.lucene.util.FixedBitSet(10_000);
                all.set(0, 10_000);
                org.apache.lucene.util.FixedBitSet half = new org.apache.lucene.util.FixedBitSet(10_000);
                random.ints(5_000, 0, 10_000).forEach(half::set);
                org.apache.lucene.util.FixedBitSet rest = all.clone();
                rest.andNot(half);
                FacetCounts.Segment whole = facets.count(segment, new org.apache.lucene.util.BitSetIterator(all, 10_000));
                assertThat(whole.counts()).isDeepEqualTo(oneByOne(segment, all));
                assertThat(facets.count(segment, new org.apache.lucene.util.BitSetIterator(half, half.cardinality())).counts())
                        .isDeepEqualTo(oneByOne(segment, half));
                assertThat(facets.without(whole, segment, new org.apache.lucene.util.BitSetIterator(half, half.cardinality()), rest)
                        .counts()).isDeepEqualTo(oneByOne(segment, rest));
            }
        }
    }

    /** Per dimension (release, group), documents by ordinal, each document's values read one after the other. */
    private static int[][] oneByOne(org.apache.lucene.index.LeafReaderContext segment, org.apache.lucene.util.FixedBitSet docs)
            throws java.io.IOException {
        List<String> dims = List.of("release", "group");
        int[][] counts = new int[dims.size()][];
        for (int d = 0; d < counts.length; d++) {
            org.apache.lucene.index.SortedSetDocValues values = segment.reader().getSortedSetDocValues(Schema.facetField(dims.get(d)));
            counts[d] = new int[(int) values.getValueCount()];
            for (int doc = docs.nextSetBit(0); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                    doc = doc + 1 < docs.length() ? docs.nextSetBit(doc + 1) : org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS) {
                if (values.advanceExact(doc)) {
                    for (int i = 0; i < values.docValueCount(); i++) {
                        counts[d][(int) values.nextOrd()]++;
                    }
                }
            }
        }
        return counts;
    }
}
