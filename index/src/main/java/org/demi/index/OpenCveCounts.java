package org.demi.index;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.demi.index.OpenCves.Exposure;

/**
 * How many host CVE documents there are of each exposure, kept as hosts are written: what the
 * {@link OpenCves} figures are derived from. A host written counts its new exposures in and its
 * old ones out — those written since the last refresh, which its reader does not show yet, or
 * else those the last refreshed reader holds. The caller makes sure no refresh or clear runs
 * while a host is written (see {@link FleetIndex}); hosts may be written side by side.
 */
final class OpenCveCounts {
    /** The exposures a host's documents in the last refreshed reader have. */
    interface Indexed {
        List<Exposure> of(String host) throws IOException;
    }

    private final Map<Exposure, Long> documents = new HashMap<>();
    /** One instance of each exposure ever counted: a rebuild holds every host's list until its refresh. */
    private final Map<Exposure, Exposure> canonical = new HashMap<>();
    /** The exposures of the hosts written since the last refresh. */
    private final Map<String, List<Exposure>> sinceRefresh = new HashMap<>();
    /** Everything was removed since the last refresh: a host its reader still shows counts for nothing. */
    private boolean clearedSinceRefresh;

    /** The counts of every host CVE document in the searcher's reader. */
    static OpenCveCounts of(IndexSearcher searcher) throws IOException {
        OpenCveCounts c = new OpenCveCounts();
        read(searcher, SearchQuery.builder("cve").build().query(), c::add);
        return c;
    }

    /** The host was written with these exposures (none: removed), instead of those it had. */
    void written(String host, List<Exposure> exposures, Indexed indexed) throws IOException {
        List<Exposure> was;
        boolean inReader;
        synchronized (this) {
            was = sinceRefresh.get(host);
            inReader = was == null && !clearedSinceRefresh;
        }
        if (inReader) {
            was = indexed.of(host); // read outside the lock: other hosts are written meanwhile
        }
        synchronized (this) {
            if (was != null) {
                was.forEach(e -> add(e, -1));
            }
            exposures.forEach(e -> add(e, 1));
            sinceRefresh.put(host, exposures.stream().map(e -> canonical.computeIfAbsent(e, x -> x)).toList());
        }
    }

    /** Every host was removed. */
    synchronized void cleared() {
        documents.clear();
        sinceRefresh.clear();
        clearedSinceRefresh = true;
    }

    /** A refresh opened a reader with every write so far: the figures it shows. */
    synchronized OpenCves refreshed() {
        sinceRefresh.clear();
        clearedSinceRefresh = false;
        return figures();
    }

    synchronized OpenCves figures() {
        Set<String> cves = new HashSet<>();
        Map<String, Map<String, Set<String>>> byUrgency = new HashMap<>();
        documents.keySet().forEach(e -> {
            cves.add(e.cve());
            byUrgency.computeIfAbsent(e.urgency(), u -> new HashMap<>()).computeIfAbsent(e.state(), s -> new HashSet<>()).add(e.cve());
        });
        Map<String, Map<String, Long>> counted = new HashMap<>();
        byUrgency.forEach((u, states) -> {
            Map<String, Long> n = new HashMap<>();
            states.forEach((s, ids) -> n.put(s, (long) ids.size()));
            counted.put(u, Map.copyOf(n));
        });
        return new OpenCves(cves.size(), counted);
    }

    private void add(Exposure e, long documents) {
        this.documents.merge(e, documents, (a, b) -> a + b == 0 ? null : a + b);
    }

    /** The exposures of the owner's host CVE documents in the searcher's reader. */
    static List<Exposure> read(IndexSearcher searcher, org.apache.lucene.index.Term owner) throws IOException {
        List<Exposure> out = new java.util.ArrayList<>();
        read(searcher, new org.apache.lucene.search.BooleanQuery.Builder()
                .add(new org.apache.lucene.search.TermQuery(owner), org.apache.lucene.search.BooleanClause.Occur.FILTER)
                .add(SearchQuery.builder("cve").build().query(), org.apache.lucene.search.BooleanClause.Occur.FILTER).build(),
                (e, n) -> out.addAll(java.util.Collections.nCopies((int) n, e)));
        return out;
    }

    /**
     * The exposures of the CVE documents {@code query} matches in the searcher's reader, from
     * their doc values, each with how many documents have it: counted per segment by ordinals,
     * and turned into values once per segment, so that a pass over millions of documents builds
     * no value per document.
     */
    private static void read(IndexSearcher searcher, Query query, java.util.function.ObjLongConsumer<Exposure> out) throws IOException {
        class Reading extends SimpleCollector {
            private SortedSetDocValues cves;
            private SortedDocValues urgencies;
            private SortedDocValues states;
            /** Documents by (CVE, urgency, state) ordinals, packed into one long: 40, 12 and 12 bits. */
            private final Map<Long, Long> counted = new HashMap<>();

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                emit();
                cves = DocValues.getSortedSet(context.reader(), Schema.facetField(IndexField.CVE.word()));
                urgencies = DocValues.getSorted(context.reader(), IndexField.URGENCY.word());
                states = DocValues.getSorted(context.reader(), IndexField.CVE_STATE.word());
                if (urgencies.getValueCount() >= 1 << 12 || states.getValueCount() >= 1 << 12) {
                    throw new IllegalStateException("more urgencies or CVE states than there can be: " + urgencies.getValueCount() + ", "
                            + states.getValueCount());
                }
            }

            @Override
            public void collect(int doc) throws IOException {
                if (!cves.advanceExact(doc) || !urgencies.advanceExact(doc) || !states.advanceExact(doc)) {
                    return; // not a host CVE document
                }
                long rest = ((long) urgencies.ordValue() << 12) | states.ordValue();
                for (int i = 0, n = cves.docValueCount(); i < n; i++) {
                    counted.merge((cves.nextOrd() << 24) | rest, 1L, Long::sum);
                }
            }

            @Override
            public void finish() throws IOException {
                emit();
            }

            private void emit() throws IOException {
                for (Map.Entry<Long, Long> e : counted.entrySet()) {
                    long k = e.getKey();
                    out.accept(new Exposure(Schema.facetValue(cves.lookupOrd(k >>> 24)), urgencies.lookupOrd((int) (k >>> 12) & 0xfff).utf8ToString(),
                            states.lookupOrd((int) k & 0xfff).utf8ToString()), e.getValue());
                }
                counted.clear();
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
        Reading reading = new Reading();
        searcher.search(query, reading);
        reading.emit(); // the last segment's, should the searcher not have said it finished
    }
}
