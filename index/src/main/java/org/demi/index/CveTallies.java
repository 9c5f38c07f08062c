package org.demi.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/**
 * Counts, in one pass over the matching host CVE documents and from their doc values only, every
 * CVE's hosts, states, urgencies, sources and oldest "since" — instead of one faceted search per
 * CVE.
 *
 * <p>Distinct hosts are counted by remembering, per CVE, the last host seen: a host's documents
 * are written as one block ({@code updateDocuments}), which Lucene keeps adjacent in a single
 * segment, so a host's documents naming a CVE are never interleaved with another host's.
 */
final class CveTallies extends SimpleCollector {
    /** One CVE's counts over all segments, by value. */
    private static final class Builder {
        long hosts;
        long exposures;
        final Map<String, Long> states = new HashMap<>();
        final Map<String, Set<String>> statesByUrgency = new HashMap<>();
        String oldestSince;
        final Map<String, Long> sources = new HashMap<>();

        CveTally build(String cve) {
            Map<String, Set<String>> byUrgency = new LinkedHashMap<>();
            statesByUrgency.forEach((u, s) -> byUrgency.put(u, Set.copyOf(s)));
            List<String> bySources = sources.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).toList();
            return new CveTally(cve, hosts, exposures, states, byUrgency, oldestSince == null ? "" : oldestSince, bySources);
        }
    }

    private final Map<String, Builder> tallies = new HashMap<>();
    private final String cveField = Schema.facetField(IndexField.CVE.word());

    // The segment being read: its doc values, and its counts by segment ordinal.
    private SortedSetDocValues cves;
    private SortedDocValues hosts;
    private SortedDocValues states;
    private SortedDocValues urgencies;
    private SortedDocValues sources;
    private SortedDocValues sinces;
    private int[] lastHost;
    private long[] hostCount;
    private long[] exposures;
    private long[] stateCounts;
    private BitSet[] urgencyStates;
    private int[] oldestSince;
    // A CVE is open through one source almost always: that one is counted in arrays, any other in
    // a map (counting all of them in the map made the pass over 1.9 M documents half as slow again).
    private int[] firstSource;
    private long[] firstSourceCount;
    private Map<Long, Long> otherSources;
    private int stateValues;
    private boolean[] seen;

    private CveTallies() {
    }

    /** The tallies of the CVE documents {@code query} matches (it should ask for {@code type:cve}), by CVE id. */
    static Map<String, CveTally> count(IndexSearcher searcher, Query query) throws IOException {
        CveTallies c = new CveTallies();
        searcher.search(query, c);
        c.finishSegment();
        Map<String, CveTally> out = new LinkedHashMap<>();
        c.tallies.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put(e.getKey(), e.getValue().build(e.getKey())));
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
        finishSegment();
        var reader = context.reader();
        cves = DocValues.getSortedSet(reader, cveField);
        hosts = DocValues.getSorted(reader, IndexField.HOST.word());
        states = DocValues.getSorted(reader, IndexField.CVE_STATE.word());
        urgencies = DocValues.getSorted(reader, IndexField.URGENCY.word());
        sources = DocValues.getSorted(reader, IndexField.SOURCE.word());
        sinces = DocValues.getSorted(reader, IndexField.SINCE.word());
        int n = (int) cves.getValueCount();
        stateValues = Math.max(1, states.getValueCount());
        lastHost = new int[n];
        java.util.Arrays.fill(lastHost, -1);
        hostCount = new long[n];
        exposures = new long[n];
        stateCounts = new long[n * stateValues];
        urgencyStates = new BitSet[n];
        oldestSince = new int[n];
        java.util.Arrays.fill(oldestSince, Integer.MAX_VALUE);
        firstSource = new int[n];
        java.util.Arrays.fill(firstSource, -1);
        firstSourceCount = new long[n];
        otherSources = new HashMap<>();
        seen = new boolean[n];
    }

    @Override
    public void collect(int doc) throws IOException {
        if (!cves.advanceExact(doc)) {
            return; // not a CVE document
        }
        int host = hosts.advanceExact(doc) ? hosts.ordValue() : -1;
        int state = states.advanceExact(doc) ? states.ordValue() : -1;
        int urgency = urgencies.advanceExact(doc) ? urgencies.ordValue() : -1;
        int source = sources.advanceExact(doc) ? sources.ordValue() : -1;
        int since = sinces.advanceExact(doc) ? sinces.ordValue() : -1;
        for (int i = 0, values = cves.docValueCount(); i < values; i++) {
            int c = (int) cves.nextOrd();
            seen[c] = true;
            exposures[c]++;
            if (lastHost[c] != host) {
                lastHost[c] = host;
                hostCount[c]++;
            }
            if (state >= 0) {
                stateCounts[c * stateValues + state]++;
                if (urgency >= 0) {
                    if (urgencyStates[c] == null) {
                        urgencyStates[c] = new BitSet();
                    }
                    urgencyStates[c].set(urgency * stateValues + state);
                }
            }
            if (since >= 0 && since < oldestSince[c]) {
                oldestSince[c] = since; // ordinals follow the values' order, and the values are ISO instants
            }
            if (source >= 0) {
                if (firstSource[c] < 0 || firstSource[c] == source) {
                    firstSource[c] = source;
                    firstSourceCount[c]++;
                } else {
                    otherSources.merge(((long) c << 32) | source, 1L, Long::sum);
                }
            }
        }
    }

    /** Adds the segment's counts, turned from ordinals into values, to the tallies. */
    private void finishSegment() throws IOException {
        if (seen == null) {
            return;
        }
        Map<Integer, Map<Integer, Long>> more = new HashMap<>();
        otherSources.forEach((k, v) -> more.computeIfAbsent((int) (k >>> 32), x -> new HashMap<>()).put((int) (k & 0xffffffffL), v));
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                continue;
            }
            Builder b = tallies.computeIfAbsent(Schema.facetValue(cves.lookupOrd(c)), k -> new Builder());
            b.hosts += hostCount[c];
            b.exposures += exposures[c];
            for (int s = 0; s < stateValues; s++) {
                long n = stateCounts[c * stateValues + s];
                if (n > 0) {
                    b.states.merge(states.lookupOrd(s).utf8ToString(), n, Long::sum);
                }
            }
            if (urgencyStates[c] != null) {
                for (int bit = urgencyStates[c].nextSetBit(0); bit >= 0; bit = urgencyStates[c].nextSetBit(bit + 1)) {
                    b.statesByUrgency.computeIfAbsent(urgencies.lookupOrd(bit / stateValues).utf8ToString(), k -> new TreeSet<>())
                            .add(states.lookupOrd(bit % stateValues).utf8ToString());
                }
            }
            if (oldestSince[c] != Integer.MAX_VALUE) {
                String since = sinces.lookupOrd(oldestSince[c]).utf8ToString();
                if (b.oldestSince == null || since.compareTo(b.oldestSince) < 0) {
                    b.oldestSince = since;
                }
            }
            if (firstSource[c] >= 0) {
                b.sources.merge(sources.lookupOrd(firstSource[c]).utf8ToString(), firstSourceCount[c], Long::sum);
            }
            for (Map.Entry<Integer, Long> s : more.getOrDefault(c, Map.of()).entrySet()) {
                b.sources.merge(sources.lookupOrd(s.getKey()).utf8ToString(), s.getValue(), Long::sum);
            }
        }
        seen = null;
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}
