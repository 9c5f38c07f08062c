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
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.IntroSorter;
import org.apache.lucene.util.LongValues;
import org.apache.lucene.util.packed.PackedInts;

/**
 * Every hit of a query in a sort's order, for the deep pages of a list: each hit's sort values
 * read once as whole numbers (a keyword's global ordinal across the reader's segments, a
 * number's value), then sorted as numbers. Lucene's top-hits collector instead keeps a queue
 * as deep as the page and compares the keywords' bytes on every move in it: ranking a list
 * 20,000 rows deep that way cost a second. The order is the collector's exactly: the sort's
 * fields, missing values where the sort puts them, ties by document number.
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

    /**
     * The documents matching {@code query}, all of them, in {@code sort}'s order.
     *
     * @param ordinals the keyword fields' ordinal maps for this searcher's reader, built on first
     *                 use and kept by the caller as long as the reader
     */
    static int[] rank(IndexSearcher searcher, Query query, Sort sort, Map<String, OrdinalMap> ordinals) throws IOException {
        SortField[] fields = sort.getSort();
        IndexReader reader = searcher.getIndexReader();
        for (SortField f : fields) {
            if (f.getType() == SortField.Type.STRING) {
                ordinals.computeIfAbsent(f.getField(), field -> ordinalMap(reader, field));
            }
        }
        Hits hits = searcher.search(query, new CollectorManager<HitCollector, Hits>() {
            @Override
            public HitCollector newCollector() {
                return new HitCollector(fields, ordinals);
            }

            @Override
            public Hits reduce(java.util.Collection<HitCollector> collectors) {
                Hits all = new Hits(fields.length);
                collectors.forEach(c -> all.addAll(c.hits));
                return all;
            }
        });
        return hits.sorted(fields);
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

    /** Hits and their sort values, growing as collected. */
    private static final class Hits {
        int size;
        int[] docs = new int[1024];
        final int[][] keys;

        Hits(int fields) {
            keys = new int[fields][1024];
        }

        void add(int doc, int[] values) {
            if (size == docs.length) {
                docs = Arrays.copyOf(docs, size * 2);
                for (int f = 0; f < keys.length; f++) {
                    keys[f] = Arrays.copyOf(keys[f], size * 2);
                }
            }
            docs[size] = doc;
            for (int f = 0; f < keys.length; f++) {
                keys[f][size] = values[f];
            }
            size++;
        }

        void addAll(Hits other) {
            int[] values = new int[keys.length];
            for (int i = 0; i < other.size; i++) {
                for (int f = 0; f < keys.length; f++) {
                    values[f] = other.keys[f][i];
                }
                add(other.docs[i], values);
            }
        }

        int[] sorted(SortField[] fields) {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            new IntroSorter() {
                private int pivot;

                @Override
                protected void setPivot(int i) {
                    pivot = order[i];
                }

                @Override
                protected int comparePivot(int j) {
                    return compareHits(pivot, order[j]);
                }

                @Override
                protected int compare(int i, int j) {
                    return compareHits(order[i], order[j]);
                }

                @Override
                protected void swap(int i, int j) {
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }

                private int compareHits(int a, int b) {
                    for (int f = 0; f < fields.length; f++) {
                        int c = Integer.compare(keys[f][a], keys[f][b]);
                        if (c != 0) {
                            return fields[f].getReverse() ? -c : c;
                        }
                    }
                    return Integer.compare(docs[a], docs[b]);
                }
            }.sort(0, size);
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = docs[order[i]];
            }
            return out;
        }
    }

    /** Collects each hit with its sort values as whole numbers. */
    private static final class HitCollector implements Collector {
        final Hits hits;
        private final SortField[] fields;
        private final Map<String, OrdinalMap> ordinals;

        HitCollector(SortField[] fields, Map<String, OrdinalMap> ordinals) {
            this.fields = fields;
            this.ordinals = ordinals;
            this.hits = new Hits(fields.length);
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            int base = context.docBase;
            SortedDocValues[] strings = new SortedDocValues[fields.length];
            LongValues[] global = new LongValues[fields.length];
            NumericDocValues[] numbers = new NumericDocValues[fields.length];
            int[] missing = new int[fields.length];
            for (int f = 0; f < fields.length; f++) {
                SortField field = fields[f];
                if (field.getType() == SortField.Type.STRING) {
                    strings[f] = DocValues.getSorted(context.reader(), field.getField());
                    global[f] = ordinals.get(field.getField()).getGlobalOrds(context.ord);
                    // As Lucene's keyword comparator: a missing value sorts last only when the sort says so.
                    missing[f] = field.getMissingValue() == SortField.STRING_LAST ? Integer.MAX_VALUE : -1;
                } else {
                    numbers[f] = DocValues.getNumeric(context.reader(), field.getField());
                    missing[f] = field.getMissingValue() == null ? 0 : (Integer) field.getMissingValue();
                }
            }
            int[] values = new int[fields.length];
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {
                }

                @Override
                public void collect(int doc) throws IOException {
                    for (int f = 0; f < fields.length; f++) {
                        if (strings[f] != null) {
                            values[f] = strings[f].advanceExact(doc) ? (int) global[f].get(strings[f].ordValue()) : missing[f];
                        } else {
                            values[f] = numbers[f].advanceExact(doc) ? (int) numbers[f].longValue() : missing[f];
                        }
                    }
                    hits.add(base + doc, values);
                }
            };
        }
    }
}
