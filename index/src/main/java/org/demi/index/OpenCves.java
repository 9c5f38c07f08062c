package org.demi.index;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
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

        void add(List<Exposure> exposures, int sign) {
            exposures.forEach(e -> add(e, sign));
        }

        void add(Exposure e, int sign) {
            documents.merge(e, (long) sign, (a, b) -> a + b == 0 ? null : a + b);
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

    /** The exposures of a host's documents as they are about to be written. */
    static List<Exposure> of(List<Document> docs) {
        return docs.stream().filter(d -> "cve".equals(d.get(Schema.TYPE)))
                .map(d -> new Exposure(d.get(IndexField.CVE.word()), d.get(IndexField.URGENCY.word()), d.get(IndexField.CVE_STATE.word())))
                .toList();
    }

    /** The exposures of the CVE documents {@code query} matches in the searcher's reader, from their doc values. */
    static void read(IndexSearcher searcher, Query query, java.util.function.Consumer<Exposure> out) throws IOException {
        searcher.search(query, new SimpleCollector() {
            private SortedSetDocValues cves;
            private SortedDocValues urgencies;
            private SortedDocValues states;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                cves = DocValues.getSortedSet(context.reader(), Schema.facetField(IndexField.CVE.word()));
                urgencies = DocValues.getSorted(context.reader(), IndexField.URGENCY.word());
                states = DocValues.getSorted(context.reader(), IndexField.CVE_STATE.word());
            }

            @Override
            public void collect(int doc) throws IOException {
                if (!cves.advanceExact(doc) || !urgencies.advanceExact(doc) || !states.advanceExact(doc)) {
                    return; // not a host CVE document
                }
                String urgency = urgencies.lookupOrd(urgencies.ordValue()).utf8ToString();
                String state = states.lookupOrd(states.ordValue()).utf8ToString();
                for (int i = 0, n = cves.docValueCount(); i < n; i++) {
                    String[] path = FacetsConfig.stringToPath(cves.lookupOrd(cves.nextOrd()).utf8ToString());
                    out.accept(new Exposure(path[path.length - 1], urgency, state));
                }
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        });
    }
}
