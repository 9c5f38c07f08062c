package org.demi.index;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * How many of the documents a question matches have each value of a listing's facets, counted
 * segment by segment from the facets' own doc values ({@link SegmentCounts}), and merged into the
 * most frequent values of each: what Lucene's {@code SortedSetDocValuesFacetCounts} gives (the
 * most documents first, equal counts in the values' byte order), without its reader-wide
 * ordinal map, which every refresh would have to build again over every segment.
 */
final class FacetCounts implements SegmentCounts.Counter<FacetCounts.Segment> {
    private final List<String> dims;

    FacetCounts(List<String> dims) {
        this.dims = List.copyOf(dims);
    }

    /** A listing's facets ({@link Schema#FACETS_BY_TYPE}). */
    static FacetCounts of(String type) {
        return new FacetCounts(Schema.FACETS_BY_TYPE.get(type));
    }

    /** One segment's counts: per dimension, documents by the segment's ordinal (null: no document of it has the dimension). */
    record Segment(int[][] counts) {
    }

    private SortedSetDocValues[] values(LeafReaderContext segment) throws IOException {
        SortedSetDocValues[] values = new SortedSetDocValues[dims.size()];
        for (int d = 0; d < values.length; d++) {
            values[d] = segment.reader().getSortedSetDocValues(Schema.facetField(dims.get(d)));
        }
        return values;
    }

    @Override
    public Segment count(LeafReaderContext segment, DocIdSetIterator docs) throws IOException {
        SortedSetDocValues[] values = values(segment);
        int[][] counts = new int[values.length][];
        for (int d = 0; d < values.length; d++) {
            counts[d] = values[d] == null ? null : new int[(int) values[d].getValueCount()];
        }
        add(values, counts, docs, 1);
        return new Segment(counts);
    }

    @Override
    public Segment without(Segment counted, LeafReaderContext segment, DocIdSetIterator docs, Bits left) throws IOException {
        int[][] counts = new int[counted.counts().length][];
        for (int d = 0; d < counts.length; d++) {
            counts[d] = counted.counts()[d] == null ? null : counted.counts()[d].clone();
        }
        add(values(segment), counts, docs, -1);
        return new Segment(counts);
    }

    private static void add(SortedSetDocValues[] values, int[][] counts, DocIdSetIterator docs, int by) throws IOException {
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
            for (int d = 0; d < values.length; d++) {
                if (values[d] != null && values[d].advanceExact(doc)) {
                    for (int i = 0, n = values[d].docValueCount(); i < n; i++) {
                        counts[d][(int) values[d].nextOrd()] += by;
                    }
                }
            }
        }
    }

    /**
     * The {@code top} most frequent values of each dimension over the segments' counts (values
     * with no document left out, dimensions with none too), by dimension.
     */
    Map<String, Map<String, Long>> top(List<LeafReaderContext> segments, List<Segment> counts, int top) throws IOException {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (int d = 0; d < dims.size(); d++) {
            Map<BytesRef, long[]> merged = new HashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                int[] c = counts.get(i).counts()[d];
                if (c == null) {
                    continue;
                }
                SortedSetDocValues values = null;
                for (int ord = 0; ord < c.length; ord++) {
                    if (c[ord] > 0) {
                        if (values == null) {
                            values = segments.get(i).reader().getSortedSetDocValues(Schema.facetField(dims.get(d)));
                        }
                        merged.computeIfAbsent(BytesRef.deepCopyOf(values.lookupOrd(ord)), k -> new long[1])[0] += c[ord];
                    }
                }
            }
            if (merged.isEmpty()) {
                continue;
            }
            Map<String, Long> values = new LinkedHashMap<>();
            for (Map.Entry<BytesRef, long[]> e : first(merged, Math.max(1, top))) {
                values.put(Schema.facetValue(e.getKey()), e.getValue()[0]);
            }
            out.put(dims.get(d), java.util.Collections.unmodifiableMap(values));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The most documents first, equal counts in the values' byte order. */
    private static final java.util.Comparator<Map.Entry<BytesRef, long[]>> ORDER = (a, b) -> a.getValue()[0] != b.getValue()[0]
            ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey());

    /**
     * The first {@code n} values in {@link #ORDER}, chosen through a heap of {@code n}: a common
     * package's page counts its 100,000 hosts, of which it shows a few.
     */
    private static List<Map.Entry<BytesRef, long[]>> first(Map<BytesRef, long[]> merged, int n) {
        java.util.PriorityQueue<Map.Entry<BytesRef, long[]>> kept = new java.util.PriorityQueue<>(Math.min(n, merged.size()) + 1, ORDER.reversed());
        for (Map.Entry<BytesRef, long[]> e : merged.entrySet()) {
            if (kept.size() < n) {
                kept.add(e);
            } else if (ORDER.compare(e, kept.peek()) < 0) {
                kept.poll();
                kept.add(e);
            }
        }
        List<Map.Entry<BytesRef, long[]>> sorted = new java.util.ArrayList<>(kept);
        sorted.sort(ORDER);
        return sorted;
    }
}
