package org.demi.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BytesRef;

/**
 * Every installed package's facets but the hosts, per package name, counted over every installed
 * package document segment by segment and kept from one reader to the next ({@link SegmentCounts}),
 * so that a package's page (its hosts list, {@code type:package package:p}) reads its states,
 * releases, architectures, groups and advisories off one row per segment instead of five doc
 * values for each of its hits (a common package's 10,000 at 10,000 hosts). The hosts are still
 * counted hit by hit. The values are read through the same facet doc values a search counts.
 *
 * <p>A dimension with few values in a segment (states, releases, architectures, groups) is
 * counted in a row per package; one with many (advisories: a package is open to a few of the
 * segment's hundreds) as pairs of value and count per package.
 */
final class PackageFacets implements SegmentCounts.Counter<PackageFacets.Segment> {
    static final PackageFacets COUNTER = new PackageFacets(256);

    /** The dimensions counted, in the package listing's order ({@link Schema#FACETS_BY_TYPE}), the hosts left out. */
    static final List<String> FACETS = Schema.FACETS_BY_TYPE.get("package").stream().filter(d -> !d.equals(Schema.HOST)).toList();

    /** A dimension with at most this many values in a segment is counted in each package's row. */
    private final int inRow;

    /** Counts a dimension with at most {@code inRow} values in a segment in rows, others in pairs (tests try both). */
    PackageFacets(int inRow) {
        this.inRow = inRow;
    }

    /**
     * Where a segment's dimensions are counted, from how many values each has there: a
     * dimension's values start at {@code rowStart} in a package's row, or are counted in pairs
     * ({@code rowStart} -1); a pair's value is its dimension's {@code pairStart} plus its ordinal.
     */
    record Layout(int[] valueCounts, int[] rowStart, int rowWidth, int[] pairStart) {
        static Layout of(int[] valueCounts, int inRow) {
            int[] rowStart = new int[valueCounts.length];
            int[] pairStart = new int[valueCounts.length];
            int width = 0;
            int paired = 0;
            for (int d = 0; d < valueCounts.length; d++) {
                rowStart[d] = valueCounts[d] <= inRow ? width : -1;
                width += valueCounts[d] <= inRow ? valueCounts[d] : 0;
                pairStart[d] = paired;
                paired = Math.addExact(paired, valueCounts[d]);
            }
            return new Layout(valueCounts, rowStart, width, pairStart);
        }

        /** The dimension of a pair's value (a dimension counted in rows ends before any pair value). */
        int dimensionOf(int value) {
            int d = 0;
            while (value >= pairStart[d] + valueCounts[d]) {
                d++;
            }
            return d;
        }
    }

    /**
     * One segment's counts, by package ordinal. Values: {@link #without} makes a new one, sharing
     * the layout, and the rows and pairs it does not change.
     */
    static final class Segment {
        final Layout layout;
        /** Per package: its documents counted. */
        final int[] documents;
        /** Per package: documents by value of the dimensions counted in rows; null: none. */
        final int[][] rows;
        /** Per package: (value, documents) pairs of the dimensions counted in pairs, a count of 0 for one gone; null: none. */
        final int[][] pairs;

        private Segment(int packages, Layout layout) {
            this.layout = layout;
            documents = new int[packages];
            rows = new int[packages][];
            pairs = new int[packages][];
        }

        private Segment(Segment s) {
            layout = s.layout;
            documents = s.documents.clone();
            rows = s.rows.clone();
            pairs = s.pairs.clone();
        }
    }

    /** The doc values a pass over a segment reads, fresh (they are read forward only). */
    private record Values(SortedDocValues packages, SortedSetDocValues[] several, SortedDocValues[] single) {
        static Values of(LeafReader reader) throws IOException {
            SortedSetDocValues[] several = new SortedSetDocValues[FACETS.size()];
            SortedDocValues[] single = new SortedDocValues[FACETS.size()];
            for (int d = 0; d < several.length; d++) {
                several[d] = DocValues.getSortedSet(reader, Schema.facetField(FACETS.get(d)));
                single[d] = DocValues.unwrapSingleton(several[d]);
            }
            return new Values(DocValues.getSorted(reader, IndexField.PACKAGE.word()), several, single);
        }

        int[] valueCounts() {
            return Arrays.stream(several).mapToInt(v -> Math.toIntExact(v.getValueCount())).toArray();
        }
    }

    @Override
    public Segment count(LeafReaderContext segment, DocIdSetIterator docs) throws IOException {
        Values v = Values.of(segment.reader());
        Segment s = new Segment((int) v.packages().getValueCount(), Layout.of(v.valueCounts(), inRow));
        add(s, v, docs, 1, null);
        return s;
    }

    @Override
    public Segment without(Segment counted, LeafReaderContext segment, DocIdSetIterator docs, BitSet left) throws IOException {
        Segment s = new Segment(counted);
        add(s, Values.of(segment.reader()), docs, -1, new boolean[s.documents.length]);
        return s;
    }

    /**
     * Counts these documents in ({@code by} 1) or out ({@code by} -1: each was counted in).
     *
     * @param copied per package, whether its row and pairs are this segment's own yet; null: all are
     */
    private static void add(Segment s, Values v, DocIdSetIterator docs, int by, boolean[] copied) throws IOException {
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
            if (!v.packages().advanceExact(doc)) {
                continue; // (every installed package names its package)
            }
            int p = v.packages().ordValue();
            if (copied != null && !copied[p]) {
                copied[p] = true;
                s.rows[p] = s.rows[p] == null ? null : s.rows[p].clone();
                s.pairs[p] = s.pairs[p] == null ? null : s.pairs[p].clone();
            }
            s.documents[p] += by;
            for (int d = 0; d < FACETS.size(); d++) {
                SortedDocValues one = v.single()[d];
                if (one != null) {
                    if (one.advanceExact(doc)) {
                        add(s, p, d, one.ordValue(), by);
                    }
                } else if (v.several()[d].advanceExact(doc)) {
                    SortedSetDocValues several = v.several()[d];
                    for (int k = 0, n = several.docValueCount(); k < n; k++) {
                        add(s, p, d, (int) several.nextOrd(), by);
                    }
                }
            }
        }
    }

    private static void add(Segment s, int p, int d, int ord, int by) {
        Layout l = s.layout;
        if (l.rowStart[d] >= 0) {
            int[] row = s.rows[p] == null ? (s.rows[p] = new int[l.rowWidth]) : s.rows[p];
            row[l.rowStart[d] + ord] += by;
            return;
        }
        int value = l.pairStart[d] + ord;
        int[] pairs = s.pairs[p];
        for (int i = 0; pairs != null && i < pairs.length; i += 2) {
            if (pairs[i] == value) {
                pairs[i + 1] += by;
                return;
            }
        }
        pairs = pairs == null ? new int[2] : Arrays.copyOf(pairs, pairs.length + 2);
        pairs[pairs.length - 2] = value;
        pairs[pairs.length - 1] = by;
        s.pairs[p] = pairs;
    }

    /**
     * The package whose installed package documents a question asks for and nothing else
     * ({@code type:package package:p}, a package's page's hosts list): its facets but the hosts
     * can be read off the counts of every installed package ({@link #facets}).
     */
    static java.util.Optional<String> hostsOf(SearchQuery q) {
        return q.type().equals("package") ? q.onlyIs(IndexField.PACKAGE) : java.util.Optional.empty();
    }

    /**
     * Every value's count of each of {@link #FACETS} over one package's installed package
     * documents, from the counts of every such document: what a faceted search for that
     * package's documents counts, its row and pairs merged from each segment instead of every
     * hit read. A dimension no document of it has is left out.
     */
    static Map<String, Map<String, Long>> facets(List<LeafReaderContext> segments, List<Segment> counts, String name) throws IOException {
        List<Map<String, Long>> merged = FACETS.stream().<Map<String, Long>>map(d -> new HashMap<>()).toList();
        BytesRef key = new BytesRef(name);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = counts.get(i);
            LeafReader reader = segments.get(i).reader();
            int p = DocValues.getSorted(reader, IndexField.PACKAGE.word()).lookupTerm(key);
            if (p < 0 || s.documents[p] == 0) {
                continue;
            }
            SortedSetDocValues[] values = new SortedSetDocValues[FACETS.size()];
            Layout l = s.layout;
            int[] row = s.rows[p];
            for (int d = 0; d < FACETS.size(); d++) {
                for (int ord = 0; l.rowStart[d] >= 0 && row != null && ord < l.valueCounts[d]; ord++) {
                    add(merged, values, reader, d, ord, row[l.rowStart[d] + ord]);
                }
            }
            int[] pairs = s.pairs[p];
            for (int j = 0; pairs != null && j < pairs.length; j += 2) {
                int d = l.dimensionOf(pairs[j]);
                add(merged, values, reader, d, pairs[j] - l.pairStart[d], pairs[j + 1]);
            }
        }
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (int d = 0; d < FACETS.size(); d++) {
            if (!merged.get(d).isEmpty()) {
                out.put(FACETS.get(d), merged.get(d));
            }
        }
        return out;
    }

    private static void add(List<Map<String, Long>> merged, SortedSetDocValues[] values, LeafReader reader, int d, int ord, long n)
            throws IOException {
        if (n <= 0) {
            return;
        }
        if (values[d] == null) {
            values[d] = DocValues.getSortedSet(reader, Schema.facetField(FACETS.get(d)));
        }
        merged.get(d).merge(Schema.facetValue(values[d].lookupOrd(ord)), n, Long::sum);
    }
}
