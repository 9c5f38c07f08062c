package org.demi.index;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BytesRef;

/**
 * How many of the documents a question matches have each value of a listing's facets, counted
 * segment by segment from the facets' own doc values ({@link SegmentCounts}), and merged into the
 * most frequent values of each: what Lucene's {@code SortedSetDocValuesFacetCounts} gives (the
 * most documents first, equal counts in the values' byte order), without its reader-wide
 * ordinal map, which every refresh would have to build again over every segment.
 */
final class FacetCounts implements SegmentCounts.Counter<FacetCounts.Segment> {
    /** The listing's dimensions, in their order. */
    private final List<String> dims;
    /** Those the question fixes: each hit has that one value, so they are not counted (see {@link #of(String, Query)}). */
    private final Map<String, String> fixed;
    /** Those counted, hit by hit. */
    private final List<String> counted;

    FacetCounts(List<String> dims, Map<String, String> fixed) {
        this.dims = List.copyOf(dims);
        this.fixed = Map.copyOf(fixed);
        this.counted = this.dims.stream().filter(d -> !this.fixed.containsKey(d)).toList();
    }

    /** A listing's facets ({@link Schema#FACETS_BY_TYPE}), each counted. */
    static FacetCounts of(String type) {
        return new FacetCounts(Schema.FACETS_BY_TYPE.get(type), Map.of());
    }

    /**
     * A listing's facets for this question. A dimension the question requires to hold one value
     * (a host's packages: {@code host:h}; a CVE's hosts: {@code cve:c}), of a field the listing's
     * documents hold once, has that value on
     * every hit: its count is the number of hits, and it is not counted hit by hit.
     */
    static FacetCounts of(String type, Query question) {
        List<String> dims = Schema.FACETS_BY_TYPE.get(type);
        Map<String, String> fixed = new HashMap<>();
        fixed(type, question, dims, fixed);
        return new FacetCounts(dims, fixed);
    }

    /**
     * The dimensions among {@code dims}, held once by documents of {@code type}, that every
     * document {@code q} matches must hold one term of.
     */
    private static void fixed(String type, Query q, List<String> dims, Map<String, String> into) {
        if (q instanceof TermQuery t) {
            String field = t.getTerm().field();
            if (Schema.heldOnce(type, field) && dims.contains(field) && t.getTerm().bytes().length > 0) {
                into.putIfAbsent(field, t.getTerm().text()); // a second, other value: no hit at all, and nothing shown
            }
        } else if (q instanceof BooleanQuery b) {
            for (BooleanClause c : b.clauses()) {
                if (c.getOccur() == BooleanClause.Occur.FILTER || c.getOccur() == BooleanClause.Occur.MUST) {
                    fixed(type, c.getQuery(), dims, into);
                }
            }
        } else if (q instanceof ConstantScoreQuery c) {
            fixed(type, c.getQuery(), dims, into);
        }
    }

    /** Whether the question fixes this dimension, so that it is not counted hit by hit. */
    boolean fixes(String dim) {
        return fixed.containsKey(dim);
    }

    /** One segment's counts: per dimension, documents by the segment's ordinal (null: no document of it has the dimension). */
    record Segment(int[][] counts) {
    }

    private SortedSetDocValues[] values(LeafReaderContext segment) throws IOException {
        SortedSetDocValues[] values = new SortedSetDocValues[counted.size()];
        for (int d = 0; d < values.length; d++) {
            values[d] = segment.reader().getSortedSetDocValues(Schema.facetField(counted.get(d)));
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
    public Segment without(Segment counted, LeafReaderContext segment, DocIdSetIterator docs, BitSet left) throws IOException {
        int[][] counts = new int[counted.counts().length][];
        for (int d = 0; d < counts.length; d++) {
            counts[d] = counted.counts()[d] == null ? null : counted.counts()[d].clone();
        }
        add(values(segment), counts, docs, -1);
        return new Segment(counts);
    }

    /** How many documents {@link #add} reads a dimension of at a time. */
    private static final int CHUNK = 4096;

    /**
     * Adds {@code by} to each value's count for every document: a chunk of documents at a time,
     * dimension by dimension over the chunk, so each dimension's doc values are read forward in
     * runs; and a dimension a document holds once (all but a few) is read as the single value
     * Lucene stores it as, not through the several-valued view of it, which asks for a count and
     * an ordinal per document.
     */
    private static void add(SortedSetDocValues[] values, int[][] counts, DocIdSetIterator docs, int by) throws IOException {
        SortedDocValues[] single = new SortedDocValues[values.length];
        for (int d = 0; d < values.length; d++) {
            single[d] = values[d] == null ? null : DocValues.unwrapSingleton(values[d]);
        }
        int[] chunk = new int[(int) Math.min(CHUNK, Math.max(1, docs.cost()))];
        int doc = docs.nextDoc();
        while (doc != DocIdSetIterator.NO_MORE_DOCS) {
            int n = 0;
            for (; n < chunk.length && doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                chunk[n++] = doc;
            }
            for (int d = 0; d < values.length; d++) {
                int[] c = counts[d];
                if (single[d] != null) {
                    SortedDocValues one = single[d];
                    for (int i = 0; i < n; i++) {
                        if (one.advanceExact(chunk[i])) {
                            c[one.ordValue()] += by;
                        }
                    }
                } else if (values[d] != null) {
                    SortedSetDocValues several = values[d];
                    for (int i = 0; i < n; i++) {
                        if (several.advanceExact(chunk[i])) {
                            for (int k = 0, m = several.docValueCount(); k < m; k++) {
                                c[(int) several.nextOrd()] += by;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The {@code top} most frequent values of each dimension over the segments' counts of
     * {@code documents} hits (values with no document left out, dimensions with none too), by
     * dimension.
     */
    Map<String, Map<String, Long>> top(List<LeafReaderContext> segments, List<Segment> counts, long documents, int top)
            throws IOException {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String dim : dims) {
            if (fixed.containsKey(dim)) {
                if (documents > 0) {
                    out.put(dim, Map.of(fixed.get(dim), documents));
                }
                continue;
            }
            int d = counted.indexOf(dim);
            Map<BytesRef, long[]> merged = new HashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                int[] c = counts.get(i).counts()[d];
                if (c == null) {
                    continue;
                }
                SortedSetDocValues values = null;
                // Every ordinal, or for hosts only the segment's first (null): no array of the counted ones made per segment.
                int[] first = dim.equals(Schema.HOST) ? firstOrds(c, Math.min(Math.max(1, top), c.length)) : null;
                for (int j = 0, n = first == null ? c.length : first.length; j < n; j++) {
                    int ord = first == null ? j : first[j];
                    if (c[ord] <= 0) {
                        continue;
                    }
                    if (values == null) {
                        values = segments.get(i).reader().getSortedSetDocValues(Schema.facetField(dim));
                    }
                    merged.computeIfAbsent(BytesRef.deepCopyOf(values.lookupOrd(ord)), k -> new long[1])[0] += c[ord];
                }
            }
            if (merged.isEmpty()) {
                continue;
            }
            Map<String, Long> values = new LinkedHashMap<>();
            for (Map.Entry<BytesRef, long[]> e : first(merged, Math.max(1, top))) {
                values.put(Schema.facetValue(e.getKey()), e.getValue()[0]);
            }
            out.put(dim, java.util.Collections.unmodifiableMap(values));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * A segment's first {@code n} ordinals by count, the lower ordinal (the lower value) first
     * among equal counts. Enough for the host dimension: a host's live documents are one block in
     * one segment (written together by {@code updateDocuments}, deleted together), so a host's
     * count is its count in that segment, and the first hosts overall are among each segment's
     * first. A common package's page then names a few hosts per segment, not its 100,000.
     */
    static int[] firstOrds(int[] c, int n) {
        int[] kept = new int[n];
        int size = 0;
        for (int ord = 0; ord < c.length; ord++) {
            if (c[ord] <= 0 || size == n && c[ord] <= c[kept[n - 1]]) {
                continue; // none, or not before the last kept (fewer, or as many at a higher ordinal)
            }
            int i = size < n ? size++ : n - 1;
            while (i > 0 && c[kept[i - 1]] < c[ord]) {
                kept[i] = kept[i - 1];
                i--;
            }
            kept[i] = ord;
        }
        return java.util.Arrays.copyOf(kept, size);
    }

    /**
     * The first {@code n} of one dimension's counts, every value's count known, in the order a
     * counted dimension's values come in ({@link #top}): the most documents first, equal counts
     * in the order of the values' UTF-8 bytes.
     */
    static Map<String, Long> top(Map<String, Long> counts, int n) {
        Map<BytesRef, long[]> byBytes = new HashMap<>();
        counts.forEach((value, count) -> byBytes.put(new BytesRef(value), new long[] {count}));
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<BytesRef, long[]> e : first(byBytes, Math.max(1, n))) {
            out.put(e.getKey().utf8ToString(), e.getValue()[0]);
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
