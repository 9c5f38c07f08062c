package org.demi.index;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;

/**
 * The benchmark half that reads the index's own classes (this file lives in the bench module,
 * in the index's package, so that the index keeps them to itself): see
 * {@code org.demi.bench.RefreshCounts}. Each round writes one random host again (its documents
 * replaced, as a push does), opens the new reader and makes every count on it twice, in turn
 * first: as before (Lucene's facet counting over ordinal maps built for the reader; the CVE
 * tallies in one pass over every CVE document) and now ({@link SegmentCounts}, kept from the
 * round before). Both answers must be equal, or the run stops.
 */
public final class CountsAfterPush {
    static final List<String> FACETED = List.of("type:cve", "type:cve urgency:high", "type:package", "type:package state:security-update",
            "type:host", "type:host verdict:non-compliant");

    private CountsAfterPush() {
    }

    public static void measure(List<IndexedHost> hosts, Path dir, int rounds, Random random, PrintStream out) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(256).setCodec(new RowCodec());
        try (FSDirectory d = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(d, config)) {
            long t0 = System.nanoTime();
            hosts.parallelStream().forEach(h -> {
                try {
                    write(writer, h);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.commit();
            DirectoryReader reader = DirectoryReader.open(writer);
            out.printf("%,d hosts written in %.1f s: %,d documents (%,d host CVE documents) in %d segments; %d rounds of one host written again%n",
                    hosts.size(), (System.nanoTime() - t0) / 1e9, reader.numDocs(),
                    new IndexSearcher(reader).count(SearchQuery.parse("type:cve").query()), reader.leaves().size(), rounds);
            SegmentCounts kept = new SegmentCounts();
            OrdinalNames names = new OrdinalNames(); // kept as the server keeps them
            // the CVE list's tallies of the round before, as the server keeps them
            java.util.concurrent.atomic.AtomicReference<CveTallies.Merged> merged = new java.util.concurrent.atomic.AtomicReference<>();
            Map<String, List<Double>> before = new LinkedHashMap<>();
            Map<String, List<Double>> now = new LinkedHashMap<>();
            List<Double> reopen = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                if (round > 0) {
                    write(writer, hosts.get(random.nextInt(hosts.size())));
                    long t = System.nanoTime();
                    DirectoryReader next = DirectoryReader.openIfChanged(reader, writer);
                    reopen.add((System.nanoTime() - t) / 1e6);
                    if (next != null) {
                        reader.close();
                        reader = next;
                    }
                }
                IndexSearcher searcher = new IndexSearcher(reader);
                boolean beforeFirst = round % 2 == 0;
                Map<String, Object> a = null;
                Map<String, Object> b = null;
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn == 0) == beforeFirst) {
                        a = before(searcher, before);
                    } else {
                        b = now(searcher, kept, names, merged, now);
                    }
                }
                if (!a.equals(b)) {
                    throw new IllegalStateException("round " + round + ": the counts differ");
                }
            }
            whole(reader, 20, out);
            reader.close();
            out.printf("%-46s %21s   %-35s %-35s%n", "", "first count (ms)", "after a push: p50 / p99 / mean (ms)", "");
            out.printf("%-46s %10s %10s   %-35s %-35s%n", "count", "before", "now", "before", "now");
            for (String what : before.keySet()) {
                List<Double> x = before.get(what);
                List<Double> y = now.getOrDefault(what, List.of());
                out.printf("%-46s %10s %10s   %-35s %-35s%n", what, ms(x.get(0)), y.isEmpty() ? "-" : ms(y.get(0)), figures(x.subList(1, x.size())),
                        y.isEmpty() ? "(none: not made)" : figures(y.subList(1, y.size())));
            }
            out.printf("%-46s %21s   %-35s%n", "the new reader opened (both)", "", figures(reopen));
        }
    }

    static void write(IndexWriter writer, IndexedHost h) throws IOException {
        writer.updateDocuments(new Term(Schema.OWNER, "host:" + h.host()), Documents.host(h).documents());
    }

    /** The counts as Demi made them before: ordinal maps built for the reader, Lucene's facet counting, the tallies in one pass. */
    private static Map<String, Object> before(IndexSearcher searcher, Map<String, List<Double>> times) throws IOException {
        Map<String, Object> answers = new HashMap<>();
        long t = System.nanoTime();
        Map<String, DefaultSortedSetDocValuesReaderState> states = new HashMap<>();
        for (String dim : Schema.FACETS) {
            try {
                states.put(dim, new DefaultSortedSetDocValuesReaderState(searcher.getIndexReader(), Schema.facetField(dim), Documents.FACETS));
            } catch (IllegalArgumentException e) {
                // no document has the dimension
            }
        }
        took(times, "the reader's facet ordinal maps (at a refresh)", t);
        for (String question : FACETED) {
            SearchQuery q = SearchQuery.parse(question);
            t = System.nanoTime();
            FacetsCollector hits = searcher.search(q.query(), new FacetsCollectorManager());
            Map<String, Map<String, Long>> facets = lucene(states, q, hits);
            long total = hits.getMatchingDocs().stream().mapToLong(m -> m.totalHits).sum();
            took(times, "facets of " + question, t);
            answers.put(question, List.of(total, facets));
        }
        SearchQuery cves = SearchQuery.parse("type:cve");
        t = System.nanoTime();
        answers.put("tallies", CveTallies.tallies(searcher.getIndexReader().leaves(),
                new SegmentCounts().count(searcher, cves.query(), "tallies", CveTallies.COUNTER).segments()));
        took(times, "CVE list's tallies (every open CVE)", t);
        return answers;
    }

    /** The facets of a question's hits by Lucene's own counting, over ordinal maps built for the reader. */
    private static Map<String, Map<String, Long>> lucene(Map<String, DefaultSortedSetDocValuesReaderState> states, SearchQuery q,
            FacetsCollector hits) throws IOException {
        Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
        for (String dim : Schema.FACETS_BY_TYPE.get(q.type())) {
            DefaultSortedSetDocValuesReaderState state = states.get(dim);
            FacetResult fr = state == null ? null : new SortedSetDocValuesFacetCounts(state, hits).getTopChildren(10, dim);
            if (fr != null && fr.childCount > 0) {
                Map<String, Long> values = new LinkedHashMap<>();
                for (LabelAndValue lv : fr.labelValues) {
                    values.put(lv.label, lv.value.longValue());
                }
                facets.put(dim, values);
            }
        }
        return facets;
    }

    /**
     * Every hit's facets counted, warm: what a question whose counts are not kept costs, or a
     * segment no count knows. Lucene's counting (its ordinal maps built once, not timed) and
     * Demi's, alternating, 10 times each unmeasured and then {@code times} times.
     */
    static void whole(DirectoryReader reader, int times, PrintStream out) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        Map<String, DefaultSortedSetDocValuesReaderState> states = new HashMap<>();
        for (String dim : Schema.FACETS) {
            try {
                states.put(dim, new DefaultSortedSetDocValuesReaderState(reader, Schema.facetField(dim), Documents.FACETS));
            } catch (IllegalArgumentException e) {
                // no document has the dimension
            }
        }
        out.printf("%-46s %-35s %-35s%n", "every hit counted, warm", "Lucene: p50 / p99 / mean (ms)", "Demi: p50 / p99 / mean (ms)");
        for (String question : FACETED) {
            SearchQuery q = SearchQuery.parse(question);
            List<Double> lucene = new ArrayList<>();
            List<Double> demi = new ArrayList<>();
            for (int i = 0; i < 10 + times; i++) {
                long t = System.nanoTime();
                FacetsCollector hits = searcher.search(q.query(), new FacetsCollectorManager());
                Map<String, Map<String, Long>> a = lucene(states, q, hits);
                double tookLucene = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                FacetCounts facets = FacetCounts.of(q.type(), q.query());
                SegmentCounts.Counts<FacetCounts.Segment> c = new SegmentCounts().count(searcher, q.query(), question, facets);
                Map<String, Map<String, Long>> b = facets.top(reader.leaves(), c.segments(), c.documents(), 10);
                double tookDemi = (System.nanoTime() - t) / 1e6;
                if (!a.equals(b)) {
                    throw new IllegalStateException(question + ": the counts differ");
                }
                if (i >= 10) {
                    lucene.add(tookLucene);
                    demi.add(tookDemi);
                }
            }
            out.printf("%-46s %-35s %-35s%n", "facets of " + question, figures(lucene), figures(demi));
        }
    }

    /** The counts as Demi makes them now. */
    private static Map<String, Object> now(IndexSearcher searcher, SegmentCounts kept, OrdinalNames names,
            java.util.concurrent.atomic.AtomicReference<CveTallies.Merged> merged, Map<String, List<Double>> times)
            throws IOException {
        Map<String, Object> answers = new HashMap<>();
        for (String question : FACETED) {
            SearchQuery q = SearchQuery.parse(question);
            long t = System.nanoTime();
            FacetCounts facets = FacetCounts.of(q.type(), q.query());
            SegmentCounts.Counts<FacetCounts.Segment> c = kept.count(searcher, q.query(), List.of("facets", question), facets);
            Map<String, Map<String, Long>> top = facets.top(searcher.getIndexReader().leaves(), c.segments(), c.documents(), 10);
            took(times, "facets of " + question, t);
            answers.put(question, List.of(c.documents(), top));
        }
        SearchQuery cves = SearchQuery.parse("type:cve");
        long t = System.nanoTime();
        CveTallies.Merged m = CveTallies.merge(searcher.getIndexReader().leaves(),
                kept.count(searcher, cves.query(), "tallies", CveTallies.COUNTER).segments(), names, merged.get());
        merged.set(m);
        answers.put("tallies", m.tallies());
        took(times, "CVE list's tallies (every open CVE)", t);
        return answers;
    }

    private static void took(Map<String, List<Double>> times, String what, long start) {
        times.computeIfAbsent(what, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
    }

    private static String ms(double v) {
        return String.format("%.1f", v);
    }

    private static String figures(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return String.format("%8.1f %8.1f %8.1f", sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1), mean);
    }
}
