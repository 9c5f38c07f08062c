package org.demi.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.OrdinalMap;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.IntroSorter;
import org.apache.lucene.util.LongValues;
import org.apache.lucene.util.PriorityQueue;
import org.apache.lucene.util.packed.PackedInts;

/**
 * The hits of a query in a sort's order, for the deep pages of a list. Each segment's hits are
 * ranked by their sort values read once as whole numbers (a keyword's ordinal in the segment, a
 * number's value) and kept from one reader to the next like a count ({@link SegmentCounts}): a
 * push deletes a few of a segment's hits, which are taken out, and writes a small segment, which
 * alone is ranked. A page then merges the segments' rankings as far as it goes, comparing
 * keywords by their global ordinals across the reader's segments. Lucene's top-hits collector
 * instead keeps a queue as deep as the page and compares the keywords' bytes on every move in it:
 * ranking a list 20,000 rows deep that way cost a second. The order is the collector's exactly: the
 * sort's fields, missing values where the sort puts them, ties by document number.
 */
final class Ranking {
    private Ranking() {
    }

    /** Whether every field of the sort is a keyword's or a whole number's doc values, which this ranks. */
    static boolean supports(Sort sort) {
        for (SortField f : sort.getSort()) {
            if (f.getType() != SortField.Type.STRING && f.getType() != SortField.Type.INT) {
                return false;
            }
        }
        return true;
    }

    /** Each segment's ranking holds every hit of it: the {@code depth} of a list ranked whole. */
    static final int WHOLE = Integer.MAX_VALUE;

    /** The shallowest ranking {@link #depthFor} gives. */
    static final int SHALLOWEST = 4096;

    /**
     * How deep to rank each segment of a list too long to rank whole, for pages reaching its
     * {@code n}th hit: {@link #SHALLOWEST}, or eight times as deep as the depth before, as far as
     * needed. Each depth is a ranking of its own, kept and brought up to date apart, so the steps are
     * few: a list paged anywhere in its first 32,768 hits has two at most.
     */
    static int depthFor(int n) {
        long depth = SHALLOWEST;
        while (depth < n) {
            depth <<= 3;
        }
        return (int) Math.min(depth, WHOLE);
    }

    /**
     * The first {@code n} documents matching {@code query} (all of them when fewer match), in
     * {@code sort}'s order, as the searcher's reader numbers them. Each segment's ranking holds its
     * first {@code depth} hits or more ({@link #WHOLE}: every hit), and {@code n} is at most
     * {@code depth}: a list of millions of hits (every pending update, at 100,000 hosts) is paged by
     * its first few thousand, and the merged hits can only be drawn from each segment's first {@code n}.
     *
     * @param ordinals the keyword fields' ordinal maps for this searcher's reader, built on first
     *                 use and kept by the caller as long as the reader
     * @param kept     where the segments' rankings are kept from one reader to the next
     */
    static int[] rank(IndexSearcher searcher, Query query, Sort sort, int n, int depth, Map<String, OrdinalMap> ordinals,
            SegmentCounts kept) throws IOException {
        return rank(searcher, query, sort, n, depth, ordinals, kept, ranker(sort, depth));
    }

    /**
     * As {@link #rank(IndexSearcher, Query, Sort, int, int, Map, SegmentCounts)}, the segments ranked by
     * {@code ranker}, one made by {@link #ranker(Sort, int)} for this {@code depth} (or wrapping one).
     */
    static int[] rank(IndexSearcher searcher, Query query, Sort sort, int n, int depth, Map<String, OrdinalMap> ordinals,
            SegmentCounts kept, SegmentCounts.Counter<Segment> ranker) throws IOException {
        if (n > depth) {
            throw new IllegalArgumentException("ranking " + n + " hits from segment rankings " + depth + " deep");
        }
        SortField[] fields = sort.getSort();
        IndexReader reader = searcher.getIndexReader();
        for (SortField f : fields) {
            if (f.getType() == SortField.Type.STRING) {
                ordinals.computeIfAbsent(f.getField(), field -> ordinalMap(reader, field));
            }
        }
        SegmentCounts.Counts<Segment> ranked = kept.count(searcher, query, new Question(query, sort, depth), ranker);
        return merge(reader.leaves(), ranked.segments(), fields, ordinals, (int) Math.min(n, ranked.documents()));
    }

    /** What ranks a segment's first {@code depth} hits or more in {@code sort}'s order, and takes deleted ones out of a ranking. */
    static SegmentCounts.Counter<Segment> ranker(Sort sort, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("a ranking's depth must be 1 or more, not " + depth);
        }
        return new Ranker(sort.getSort(), depth);
    }

    /** What a segment's ranking is kept under: the query, the sort, and how deep it ranks. */
    private record Question(Query query, Sort sort, int depth) {
    }

    private static OrdinalMap ordinalMap(IndexReader reader, String field) {
        try {
            List<LeafReaderContext> leaves = reader.leaves();
            SortedDocValues[] values = new SortedDocValues[leaves.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = DocValues.getSorted(leaves.get(i).reader(), field);
            }
            return OrdinalMap.build(null, values, PackedInts.DEFAULT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One segment's live matching documents in the sort's order, with their sort values as whole
     * numbers: {@code keys[f][i]} is hit {@code i}'s value of the sort's field {@code f} (the
     * segment's ordinal of a keyword, the missing value's place when it has none). All of them
     * when {@code whole}; else the segment's first ones, as many as its ranker's depth or more.
     */
    record Segment(int[] docs, int[][] keys, boolean whole) {
    }

    /**
     * Ranks a segment's hits, and takes deleted ones out of a ranking. Short of every hit, it keeps
     * half as many again as its depth, so that deletions (a push takes its host's old documents out)
     * seldom bring a ranking under its depth; one that falls under is ranked again from the hits left.
     */
    private record Ranker(SortField[] fields, int depth) implements SegmentCounts.Counter<Segment> {
        /** How many of a segment's first hits a ranking keeps. */
        private int kept() {
            return depth >= WHOLE / 3 * 2 ? WHOLE : depth + depth / 2;
        }

        @Override
        public Segment count(LeafReaderContext segment, DocIdSetIterator docs) throws IOException {
            Values values = new Values(segment, fields);
            int size = 0;
            int[] hits = new int[(int) Math.min(Math.max(16, docs.cost()), segment.reader().maxDoc())];
            int[][] keys = new int[fields.length][hits.length];
            for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if (size == hits.length) {
                    hits = Arrays.copyOf(hits, size * 2);
                    for (int f = 0; f < keys.length; f++) {
                        keys[f] = Arrays.copyOf(keys[f], size * 2);
                    }
                }
                hits[size] = doc;
                for (int f = 0; f < fields.length; f++) {
                    keys[f][size] = values.of(f, doc);
                }
                size++;
            }
            return sorted(hits, keys, size);
        }

        @Override
        public Segment without(Segment ranked, LeafReaderContext segment, DocIdSetIterator gone, BitSet left) throws IOException {
            int[] docs = ranked.docs();
            int size = 0;
            for (int doc : docs) {
                if (left.get(doc)) {
                    size++;
                }
            }
            if (!ranked.whole() && size < depth) {
                return count(segment, new BitSetIterator(left, left.approximateCardinality())); // too few of its first hits left: the ones after them are not known
            }
            int[] hits = new int[size];
            int[][] keys = new int[fields.length][size];
            for (int i = 0, j = 0; i < docs.length; i++) {
                if (left.get(docs[i])) {
                    hits[j] = docs[i];
                    for (int f = 0; f < fields.length; f++) {
                        keys[f][j] = ranked.keys()[f][i];
                    }
                    j++;
                }
            }
            return new Segment(hits, keys, ranked.whole());
        }

        /**
         * The first {@link #kept} of the {@code size} hits in the sort's order (within a segment,
         * ordinals are in the values' order): when there are more, the first are selected
         * before they alone are sorted, rather than every hit sorted.
         */
        private Segment sorted(int[] docs, int[][] keys, int size) {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            int kept = Math.min(size, kept());
            Order byHit = new Order(order, docs, keys, fields);
            if (kept < size) {
                byHit.select(0, size, kept);
            }
            byHit.sort(0, kept);
            int[] outDocs = new int[kept];
            int[][] outKeys = new int[fields.length][kept];
            for (int i = 0; i < kept; i++) {
                outDocs[i] = docs[order[i]];
                for (int f = 0; f < fields.length; f++) {
                    outKeys[f][i] = keys[f][order[i]];
                }
            }
            return new Segment(outDocs, outKeys, kept == size);
        }
    }

    /**
     * Puts a segment's hits in the sort's order, by moving their numbers in {@code order}: all of
     * them ({@link #sort}), or the first ones before the others ({@link #select}).
     */
    private static final class Order extends org.apache.lucene.util.IntroSelector {
        private final int[] order;
        private final int[] docs;
        private final int[][] keys;
        private final SortField[] fields;
        private int pivot;

        Order(int[] order, int[] docs, int[][] keys, SortField[] fields) {
            this.order = order;
            this.docs = docs;
            this.keys = keys;
            this.fields = fields;
        }

        /** Sorts {@code order} from {@code from} to {@code to}. */
        void sort(int from, int to) {
            new IntroSorter() { // the selector's own pivot and moves
                @Override
                protected void setPivot(int i) {
                    Order.this.setPivot(i);
                }

                @Override
                protected int comparePivot(int j) {
                    return Order.this.comparePivot(j);
                }

                @Override
                protected int compare(int i, int j) {
                    return compareHits(order[i], order[j]);
                }

                @Override
                protected void swap(int i, int j) {
                    Order.this.swap(i, j);
                }
            }.sort(from, to);
        }

        @Override
        protected void setPivot(int i) {
            pivot = order[i];
        }

        @Override
        protected int comparePivot(int j) {
            return compareHits(pivot, order[j]);
        }

        @Override
        protected void swap(int i, int j) {
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }

        private int compareHits(int a, int b) {
            for (int f = 0; f < fields.length; f++) {
                int c = compareValues(fields[f], keys[f][a], keys[f][b]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(docs[a], docs[b]);
        }
    }

    private static int compareValues(SortField field, int a, int b) {
        int c = Integer.compare(a, b);
        return field.getReverse() ? -c : c;
    }

    /** A segment's sort values as whole numbers, per document. */
    private static final class Values {
        private final SortedDocValues[] strings;
        private final NumericDocValues[] numbers;
        private final int[] missing;

        Values(LeafReaderContext segment, SortField[] fields) throws IOException {
            strings = new SortedDocValues[fields.length];
            numbers = new NumericDocValues[fields.length];
            missing = new int[fields.length];
            for (int f = 0; f < fields.length; f++) {
                SortField field = fields[f];
                if (field.getType() == SortField.Type.STRING) {
                    strings[f] = DocValues.getSorted(segment.reader(), field.getField());
                    // As Lucene's keyword comparator: a missing value sorts last only when the sort says so.
                    missing[f] = field.getMissingValue() == SortField.STRING_LAST ? Integer.MAX_VALUE : -1;
                } else {
                    numbers[f] = DocValues.getNumeric(segment.reader(), field.getField());
                    missing[f] = field.getMissingValue() == null ? 0 : (Integer) field.getMissingValue();
                }
            }
        }

        /** Field {@code f}'s value of {@code doc} (documents asked in order). */
        int of(int f, int doc) throws IOException {
            if (strings[f] != null) {
                return strings[f].advanceExact(doc) ? strings[f].ordValue() : missing[f];
            }
            return numbers[f].advanceExact(doc) ? (int) numbers[f].longValue() : missing[f];
        }
    }

    /** The first {@code n} hits of the segments' rankings merged, as the reader numbers them. */
    private static int[] merge(List<LeafReaderContext> leaves, List<Segment> segments, SortField[] fields, Map<String, OrdinalMap> ordinals,
            int n) {
        PriorityQueue<Cursor> queue = new PriorityQueue<>(Math.max(1, leaves.size())) {
            @Override
            protected boolean lessThan(Cursor a, Cursor b) {
                for (int f = 0; f < fields.length; f++) {
                    int c = compareValues(fields[f], a.head[f], b.head[f]);
                    if (c != 0) {
                        return c < 0;
                    }
                }
                return a.doc() < b.doc();
            }
        };
        for (int i = 0; i < leaves.size(); i++) {
            Segment s = segments.get(i);
            if (s.docs().length > 0) {
                LongValues[] global = new LongValues[fields.length];
                for (int f = 0; f < fields.length; f++) {
                    if (fields[f].getType() == SortField.Type.STRING) {
                        global[f] = ordinals.get(fields[f].getField()).getGlobalOrds(i);
                    }
                }
                queue.add(new Cursor(s, leaves.get(i).docBase, global));
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            Cursor top = queue.top();
            out[i] = top.doc();
            if (top.next()) {
                queue.updateTop();
            } else if (top.segment.whole() || i == n - 1) {
                queue.pop();
            } else {
                // A ranking holds its ranker's depth of first hits, and n is no deeper: never here.
                throw new IllegalStateException("a segment's ranking ran out at hit " + (i + 1) + " of " + n);
            }
        }
        return out;
    }

    /** A segment's ranking being merged: its next hit and that hit's values (keywords' global ordinals). */
    private static final class Cursor {
        private final Segment segment;
        private final int base;
        private final LongValues[] global;
        final int[] head;
        private int at;

        Cursor(Segment segment, int base, LongValues[] global) {
            this.segment = segment;
            this.base = base;
            this.global = global;
            this.head = new int[global.length];
            read();
        }

        int doc() {
            return base + segment.docs()[at];
        }

        /** Moves to the next hit; false when there is none. */
        boolean next() {
            if (++at == segment.docs().length) {
                return false;
            }
            read();
            return true;
        }

        private void read() {
            for (int f = 0; f < head.length; f++) {
                int v = segment.keys()[f][at];
                // A missing keyword keeps its place (before or after every value), not an ordinal's.
                head[f] = global[f] == null || v < 0 || v == Integer.MAX_VALUE ? v : (int) global[f].get(v);
            }
        }
    }
}
