package org.demi.index;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/**
 * The fleet's open CVEs at a glance, as the overview shows them: how many distinct CVEs some host
 * is open to, and of them how many in each urgency and state. The figures are what one pass over
 * every host CVE document would give, but {@link FleetIndex} keeps them up to date as hosts are
 * replaced (adding a host's new documents, taking away its old ones), so answering them costs
 * nothing however many documents there are.
 *
 * @param cves          distinct CVEs open on some host
 * @param byUrgency     for each urgency and state, the distinct CVEs open in it on some host
 */
public record OpenCves(long cves, Map<String, Map<String, Long>> byUrgency) {
    public OpenCves {
        byUrgency = Map.copyOf(byUrgency);
    }

    /** How many distinct CVEs are open on some host with this urgency and state. */
    public long count(String urgency, String state) {
        return byUrgency.getOrDefault(urgency, Map.of()).getOrDefault(state, 0L);
    }

    /** One host CVE document, as counted. */
    record Exposure(String cve, String urgency, String state) {
    }

    /** How many host CVE documents there are of each exposure: what the figures are derived from. */
    static final class Counts {
        private final Map<Exposure, Long> documents = new HashMap<>();
        /** One instance of each exposure ever counted: a rebuild holds every host's list until its refresh. */
        private final Map<Exposure, Exposure> canonical = new HashMap<>();

        /** The exposures, as the instances already held of them. */
        List<Exposure> canonical(List<Exposure> exposures) {
            return exposures.stream().map(e -> canonical.computeIfAbsent(e, x -> x)).toList();
        }

        void add(List<Exposure> exposures, int sign) {
            exposures.forEach(e -> add(e, (long) sign));
        }

        void add(Exposure e, long documents) {
            this.documents.merge(e, documents, (a, b) -> a + b == 0 ? null : a + b);
        }

        void clear() {
            documents.clear();
        }

        OpenCves figures() {
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
    }

    /**
     * The exposures of the CVE documents {@code query} matches in the searcher's reader, from
     * their doc values, each with how many documents have it: counted per segment by ordinals,
     * and turned into values once per segment, so that a pass over millions of documents builds
     * no value per document.
     */
    static void read(IndexSearcher searcher, Query query, java.util.function.ObjLongConsumer<Exposure> out) throws IOException {
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
                    String[] path = FacetsConfig.stringToPath(cves.lookupOrd(k >>> 24).utf8ToString());
                    out.accept(new Exposure(path[path.length - 1], urgencies.lookupOrd((int) (k >>> 12) & 0xfff).utf8ToString(),
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
