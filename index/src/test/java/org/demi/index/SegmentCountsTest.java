package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BitSet;
import org.demi.compliance.evaluation.HostCve;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts brought from one reader to the next by taking out what was deleted are the counts made
 * afresh, through many refreshes of hosts written again, removed and merged; and the facet counts
 * are exactly Lucene's own (values, counts and order). The hosts are FleetIndexTest's five real
 * evaluations, each written as several hosts whose CVEs became open at different moments, so
 * that writing a host again takes the oldest "since" of a CVE out of a segment now and then.
 */
class SegmentCountsTest {
    @TempDir
    Path tmp;

    static final List<String> QUESTIONS = List.of("type:cve", "type:cve urgency:high", "type:cve cve_state:fix-available", "type:package",
            "type:package state:update", "type:package state:update,security-update", "type:host", "type:host verdict:non-compliant",
            "type:advisory",
            // a CVE's hosts: the cve dimension, several-valued on installed packages, is held once by CVE documents, so fixed
            "type:cve cve:CVE-2026-3010", "type:cve cve:CVE-2026-3020", "type:cve cve:CVE-2026-3030 urgency:high",
            // a package's hosts: libssl1.1 open to an advisory on one host of the fleet
            "type:package package:libssl1.1", "type:package package:libc6", "type:package package:perl-base");

    /** A counter that says how often it counted a segment whole, and how often it took documents out. */
    static class Watched<C> implements SegmentCounts.Counter<C> {
        final SegmentCounts.Counter<C> counter;
        int whole;
        int without;

        Watched(SegmentCounts.Counter<C> counter) {
            this.counter = counter;
        }

        @Override
        public C count(LeafReaderContext segment, DocIdSetIterator docs) throws java.io.IOException {
            whole++;
            return counter.count(segment, docs);
        }

        @Override
        public C without(C count, LeafReaderContext segment, DocIdSetIterator docs, BitSet left) throws java.io.IOException {
            without++;
            return counter.without(count, segment, docs, left);
        }
    }

    @Test
    void countsBroughtUpToDateAreTheCountsMadeAfresh() throws Exception {
        Random random = new Random(17);
        List<IndexedHost> hosts = hosts(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts(1); // every count kept, however few documents it counted
        SegmentCounts keptWhenMany = new SegmentCounts();
        Map<String, Watched<FacetCounts.Segment>> facetCounters = new HashMap<>();
        Watched<CveTallies.Segment> tallies = new Watched<>(CveTallies.COUNTER);
        Watched<PackageFacets.Segment> packages = new Watched<>(PackageFacets.COUNTER);
        // every dimension counted in pairs; and those with more than two values in a segment in pairs, the others in rows
        List<PackageFacets> otherwise = List.of(new PackageFacets(0), new PackageFacets(2));
        int readPackages = 0;
        int readAdvisories = 0;
        OrdinalNames names = new OrdinalNames(); // the segments' values decoded once, through all the rounds
        Map<String, CveTallies.Merged> merged = new HashMap<>();
        int partly = 0;
        int fixedCves = 0;
        int readCves = 0;
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(200))) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            int checked = 0;
            for (int round = 0; round < 40; round++) {
                churn(writer, hosts, random);
                try (DirectoryReader reader = DirectoryReader.open(writer)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    for (String question : QUESTIONS) {
                        SearchQuery q = SearchQuery.parse(question);
                        // as searches count them: a dimension the question fixes (urgency:high) not counted hit by hit
                        FacetCounts facets = FacetCounts.of(q.type(), q.query());
                        Watched<FacetCounts.Segment> counter = facetCounters.computeIfAbsent(question, x -> new Watched<>(facets));
                        SegmentCounts.Counts<FacetCounts.Segment> brought = kept.count(searcher, q.query(), question, counter);
                        SegmentCounts.Counts<FacetCounts.Segment> afresh = new SegmentCounts().count(searcher, q.query(), question, facets);
                        assertThat(keptWhenMany.count(searcher, q.query(), question, facets)).as(question)
                                .usingRecursiveComparison().isEqualTo(brought);
                        assertThat(brought.documents()).as(question).isEqualTo(afresh.documents()).isEqualTo(searcher.count(q.query()));
                        Map<String, Map<String, Long>> top = facets.top(reader.leaves(), brought.segments(), brought.documents(), 5);
                        assertThat(top).as(question).isEqualTo(facets.top(reader.leaves(), afresh.segments(), afresh.documents(), 5))
                                .isEqualTo(FacetCounts.of(q.type()).top(reader.leaves(), new SegmentCounts().count(searcher, q.query(),
                                        question, FacetCounts.of(q.type())).segments(), brought.documents(), 5));
                        assertThat(List.copyOf(top.entrySet())).as(question).isEqualTo(List.copyOf(lucene(searcher, q, 5).entrySet()));
                        if (question.contains(" cve:") && brought.documents() > 0) {
                            // fixed (not counted), and the one value Lucene's counting gives, on every hit
                            assertThat(facets.fixes("cve")).as(question).isTrue();
                            assertThat(top.get("cve")).as(question).containsExactly(
                                    Map.entry(question.replaceAll(".* cve:(\\S+).*", "$1"), brought.documents()));
                            fixedCves++;
                            if (!question.contains("urgency:")) {
                                // a CVE's page: all but its hosts read off the tallies every CVE document keeps, brought up to date
                                Map<String, Map<String, Long>> read = CveTallies.facets(reader.leaves(), kept.count(searcher,
                                        SearchQuery.builder("cve").build().query(), "tallies of every CVE document", tallies).segments(),
                                        question.replaceAll(".* cve:(\\S+).*", "$1"));
                                assertReadAsCounted(read, top, CveTallies.FACETS, question);
                                readCves++;
                            }
                        }
                        if (question.contains(" package:")) {
                            // a package's page: all but its hosts read off the facets every installed package keeps, brought up to date
                            Map<String, Map<String, Long>> read = PackageFacets.facets(reader.leaves(), kept.count(searcher,
                                    SearchQuery.builder("package").build().query(), "facets of every installed package", packages).segments(),
                                    question.replaceAll(".* package:(\\S+).*", "$1"));
                            assertReadAsCounted(read, top, PackageFacets.FACETS, question);
                            for (PackageFacets another : otherwise) {
                                assertThat(PackageFacets.facets(reader.leaves(), kept.count(searcher, SearchQuery.builder("package").build()
                                        .query(), another, another).segments(), question.replaceAll(".* package:(\\S+).*", "$1")))
                                        .as(question).isEqualTo(read);
                            }
                            readPackages++;
                            readAdvisories += read.containsKey("advisory") ? 1 : 0;
                        }
                        if (q.type().equals("cve")) {
                            // merged anew only where the counts changed since the round before, as the server merges them
                            CveTallies.Merged m = CveTallies.merge(reader.leaves(),
                                    kept.count(searcher, q.query(), "tallies " + question, tallies).segments(), names, merged.get(question));
                            merged.put(question, m);
                            partly += m.mergedAnew() < m.tallies().size() ? 1 : 0;
                            Map<String, CveTally> t = m.tallies();
                            assertThat(t).as(question).isEqualTo(CveTallies.tallies(reader.leaves(),
                                    new SegmentCounts().count(searcher, q.query(), question, CveTallies.COUNTER).segments()))
                                    .isEqualTo(CveTallies.tallies(reader.leaves(),
                                            keptWhenMany.count(searcher, q.query(), "tallies " + question, CveTallies.COUNTER).segments()));
                            checked += t.size();
                        }
                    }
                }
            }
            assertThat(checked).as("CVE tallies compared").isPositive();
            assertThat(partly).as("CVE tallies merged anew only in part").isPositive();
            assertThat(fixedCves).as("CVE questions with hosts, their cve dimension fixed").isPositive();
            assertThat(readCves).as("CVE questions whose facets were read off the tallies").isPositive();
            assertThat(readPackages).as("package questions whose facets were read off the kept ones").isPositive();
            assertThat(readAdvisories).as("of which with advisories").isPositive();
        }
        // The counts were brought up to date (not only made afresh), and whole segments were
        // counted again only when a refresh wrote or merged them.
        assertThat(tallies.without).isPositive();
        assertThat(packages.without).isPositive();
        assertThat(facetCounters.get("type:package").without).isPositive();
        assertThat(facetCounters.get("type:package").whole).isLessThan(40 * 4);
    }

    /** Facets read off kept counts, each dimension's first five values as counting the question's hits gives them. */
    static void assertReadAsCounted(Map<String, Map<String, Long>> read, Map<String, Map<String, Long>> counted, List<String> dims,
            String question) {
        assertThat(read.keySet()).as(question).isNotEmpty();
        for (String dim : dims) {
            assertThat(read.containsKey(dim) ? List.copyOf(FacetCounts.top(read.get(dim), 5).entrySet()) : null).as(question + " " + dim)
                    .isEqualTo(counted.containsKey(dim) ? List.copyOf(counted.get(dim).entrySet()) : null);
        }
    }

    /**
     * When a host was last seen changes in place: its segment keeps its core and its deletions,
     * so a count of a question about that time, were it kept, would be the old one. It is made
     * afresh; a question about anything else is still kept and brought up to date.
     */
    @Test
    void aQuestionAboutATimeIsCountedAfresh() throws Exception {
        List<IndexedHost> hosts = FleetIndexTest.built(tmp).indexed;
        SegmentCounts kept = new SegmentCounts(1);
        SearchQuery notSince = SearchQuery.parse("type:host last_seen:<2026-11-24T09");
        SearchQuery all = SearchQuery.parse("type:host");
        Watched<FacetCounts.Segment> counter = new Watched<>(FacetCounts.of("host", notSince.query()));
        Watched<FacetCounts.Segment> allCounter = new Watched<>(FacetCounts.of("host", all.query()));
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                assertThat(kept.count(searcher, notSince.query(), "not since", counter).documents()).isEqualTo(hosts.size());
                assertThat(kept.count(searcher, all.query(), "all", allCounter).documents()).isEqualTo(hosts.size());
            }
            writer.updateDocValues(new Term(Schema.ID, "host:dev1"), Documents.seen(java.util.Optional.of(Instant.parse("2026-11-24T09:30:00Z"))));
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                assertThat(reader.leaves()).as("one segment, neither written again nor with a deletion").hasSize(1);
                assertThat(reader.numDeletedDocs()).isZero();
                assertThat(kept.count(searcher, notSince.query(), "not since", counter).documents()).isEqualTo(hosts.size() - 1)
                        .isEqualTo(searcher.count(notSince.query()));
                assertThat(counter.whole).isEqualTo(2);
                assertThat(kept.count(searcher, all.query(), "all", allCounter).documents()).isEqualTo(hosts.size());
                assertThat(allCounter.whole).as("kept: the segment's core and deletions are as they were").isEqualTo(1);
            }
        }
    }

    /**
     * A merge's segment is counted by the writer's warmer before any reader holds it, for the wide
     * questions: the first reader after a merge (and a host written again) counts only the new
     * small segment whole for them, takes the rewritten host out of the merged one, and has the
     * counts made afresh. Narrow questions are counted whole by that reader.
     */
    @Test
    void mergedSegmentsAreCountedBeforeReadersSeeThem() throws Exception {
        Random random = new Random(5);
        List<IndexedHost> hosts = hosts(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts(1);
        Map<String, Watched<FacetCounts.Segment>> counters = new LinkedHashMap<>();
        List<String> wide = new ArrayList<>();
        IndexWriterConfig config = new IndexWriterConfig().setMaxBufferedDocs(200).setMergedSegmentWarmer(kept::warm);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(reader.leaves()).hasSizeGreaterThan(1);
                IndexSearcher searcher = new IndexSearcher(reader);
                for (String question : QUESTIONS) {
                    SearchQuery q = SearchQuery.parse(question);
                    int hits = searcher.count(q.query());
                    if (hits * SegmentCounts.WIDE_SHARE >= reader.maxDoc()) {
                        wide.add(question);
                    }
                    if (hits > 0) { // a question without hits keeps nothing to warm
                        counters.put(question, new Watched<>(FacetCounts.of(q.type())));
                        kept.count(searcher, q.query(), question, counters.get(question));
                    }
                }
            }
            assertThat(counters).containsKeys("type:cve", "type:package state:update", "type:host verdict:non-compliant");
            List<String> questions = List.copyOf(counters.keySet());
            Map<String, Integer> before = new HashMap<>();
            counters.forEach((question, c) -> before.put(question, c.whole));
            writer.forceMerge(1);
            // Wide questions (a 64th of the documents or more) are counted ahead; the hosts are 30 documents of 8,000.
            assertThat(wide).contains("type:cve", "type:package", "type:package state:update").doesNotContain("type:host");
            assertThat(counters).as("the warmer counted the merged segment for each wide question, and only for them")
                    .allSatisfy((question, c) -> assertThat(c.whole > before.get(question)).as(question).isEqualTo(wide.contains(question)));
            counters.forEach((question, c) -> before.put(question, c.whole));
            IndexedHost again = hosts.get(random.nextInt(hosts.size()));
            write(writer, variant(again, again.host(), random));
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(reader.leaves()).hasSize(2);
                IndexSearcher searcher = new IndexSearcher(reader);
                for (String question : questions) {
                    SearchQuery q = SearchQuery.parse(question);
                    Watched<FacetCounts.Segment> counter = counters.get(question);
                    int without = counter.without;
                    SegmentCounts.Counts<FacetCounts.Segment> brought = kept.count(searcher, q.query(), question, counter);
                    assertThat(counter.whole - before.get(question)).as(question + ": segments counted whole")
                            .isEqualTo(wide.contains(question) ? 1 : 2);
                    assertThat(brought.documents()).as(question).isEqualTo(searcher.count(q.query()));
                    assertThat(FacetCounts.of(q.type()).top(reader.leaves(), brought.segments(), brought.documents(), 5)).as(question)
                            .isEqualTo(lucene(searcher, q, 5));
                    if (question.equals("type:package")) {
                        assertThat(counter.without).as("the rewritten host's packages taken out").isGreaterThan(without);
                    }
                }
            }
        }
    }

    /**
     * A standing question is counted in each segment a merge writes from when it is declared,
     * before it was ever asked (a wide question is counted ahead only once a count of it is kept):
     * the first reader after the merges counts nothing whole for it, and has the counts made
     * afresh. A question neither declared nor asked before is counted whole by that reader.
     */
    @Test
    void aStandingQuestionIsCountedInMergedSegmentsBeforeItIsFirstAsked() throws Exception {
        Random random = new Random(11);
        List<IndexedHost> hosts = hosts(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts(1);
        SearchQuery cves = SearchQuery.parse("type:cve");
        SearchQuery packages = SearchQuery.parse("type:package");
        Watched<FacetCounts.Segment> declared = new Watched<>(FacetCounts.of(cves.type()));
        Watched<FacetCounts.Segment> undeclared = new Watched<>(FacetCounts.of(packages.type()));
        kept.standing("every CVE", cves.query(), declared);
        IndexWriterConfig config = new IndexWriterConfig().setMaxBufferedDocs(200).setMergedSegmentWarmer(kept::warm);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            writer.forceMerge(1);
            assertThat(declared.whole).as("merged segments counted by the warmer, never asked").isPositive();
            assertThat(undeclared.whole).isZero();
            int warmed = declared.whole;
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(reader.leaves()).hasSize(1);
                IndexSearcher searcher = new IndexSearcher(reader);
                SegmentCounts.Counts<FacetCounts.Segment> c = kept.count(searcher, cves.query(), "every CVE", declared);
                assertThat(declared.whole).as("the merged segment's count made by the warmer, taken").isEqualTo(warmed);
                assertThat(c.documents()).isEqualTo(searcher.count(cves.query())).isPositive();
                assertThat(FacetCounts.of(cves.type()).top(reader.leaves(), c.segments(), c.documents(), 5)).isEqualTo(lucene(searcher, cves, 5));
                kept.count(searcher, packages.query(), "every package", undeclared);
                assertThat(undeclared.whole).as("not declared: counted whole when first asked").isEqualTo(1);
            }
        }
    }

    /**
     * A segment's count is kept only when it counted many documents (1,024), so a page's small
     * questions do not crowd the fleet-wide ones out; a standing question's counts are kept however
     * few, its question being kept anyway: asked again of the same segments, nothing is counted.
     */
    @Test
    void aStandingQuestionsCountsAreKeptHoweverFewTheyCounted() throws Exception {
        Random random = new Random(31);
        List<IndexedHost> hosts = hosts(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts();
        SearchQuery cves = SearchQuery.parse("type:cve");
        Watched<FacetCounts.Segment> declared = new Watched<>(FacetCounts.of(cves.type()));
        Watched<FacetCounts.Segment> undeclared = new Watched<>(FacetCounts.of(cves.type()));
        kept.standing("every CVE", cves.query(), declared);
        IndexWriterConfig config = new IndexWriterConfig().setMaxBufferedDocs(200);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                long withHits = reader.leaves().stream().filter(l -> {
                    try {
                        return new IndexSearcher(l.reader()).count(cves.query()) > 0;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).count();
                assertThat(withHits).as("segments of 200 documents at most, each under the 1,024 kept").isGreaterThan(1);
                int segments = reader.leaves().size();
                long without = segments - withHits; // nothing counted, nothing kept: asked again, found empty again
                for (int ask = 1; ask <= 2; ask++) {
                    assertThat(kept.count(searcher, cves.query(), "every CVE", declared).documents()).isEqualTo(searcher.count(cves.query()));
                    kept.count(searcher, cves.query(), "the same, not declared", undeclared);
                    assertThat(declared.whole).as("standing, asked %d times", ask).isEqualTo(segments + (ask - 1) * without);
                    assertThat(undeclared.whole).as("not declared, asked %d times", ask).isEqualTo(ask * segments);
                }
            }
        }
    }

    /**
     * After a refresh, the pages asking one list at several depths count it at once. A merged
     * segment's count made ahead serves each of them, not only the first to read it: a search of
     * the question that began before another's count was kept (here, one run from inside the
     * other's count of the new small segment) counts only that small segment whole.
     */
    @Test
    void aMergedSegmentsCountMadeAheadServesEverySearchOfTheQuestionUnderWay() throws Exception {
        Random random = new Random(23);
        List<IndexedHost> hosts = hosts(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts(1);
        SearchQuery packages = SearchQuery.parse("type:package");
        kept.standing("every package", packages.query(), FacetCounts.of(packages.type()));
        IndexWriterConfig config = new IndexWriterConfig().setMaxBufferedDocs(200).setMergedSegmentWarmer(kept::warm);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            writer.forceMerge(1);
            IndexedHost again = hosts.get(random.nextInt(hosts.size()));
            write(writer, variant(again, again.host(), random));
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(reader.leaves()).hasSize(2);
                IndexSearcher searcher = new IndexSearcher(reader);
                Watched<FacetCounts.Segment> second = new Watched<>(FacetCounts.of(packages.type()));
                List<SegmentCounts.Counts<FacetCounts.Segment>> secondCounts = new ArrayList<>();
                Watched<FacetCounts.Segment> first = new Watched<>(FacetCounts.of(packages.type())) {
                    @Override
                    public FacetCounts.Segment count(LeafReaderContext segment, DocIdSetIterator docs) throws java.io.IOException {
                        if (secondCounts.isEmpty()) { // the other search, begun while this one counts
                            secondCounts.add(kept.count(searcher, packages.query(), "every package", second));
                        }
                        return super.count(segment, docs);
                    }
                };
                SegmentCounts.Counts<FacetCounts.Segment> firstCounts = kept.count(searcher, packages.query(), "every package", first);
                assertThat(first.whole).as("the first search: the new small segment alone counted whole").isEqualTo(1);
                assertThat(second.whole).as("the second search: the new small segment alone counted whole, too").isEqualTo(1);
                long total = searcher.count(packages.query());
                assertThat(firstCounts.documents()).isEqualTo(total);
                assertThat(secondCounts.get(0).documents()).isEqualTo(total);
                assertThat(FacetCounts.of(packages.type()).top(reader.leaves(), secondCounts.get(0).segments(), total, 5))
                        .isEqualTo(lucene(searcher, packages, 5));
                Watched<FacetCounts.Segment> third = new Watched<>(FacetCounts.of(packages.type()));
                kept.count(searcher, packages.query(), "every package", third);
                assertThat(third.whole + third.without).as("a later search: both segments' counts kept").isZero();
            }
        }
    }

    /**
     * Counts are values: the CVE tallies brought up to date for a new reader (a host's documents
     * deleted) are new ones, and a search still holding the older reader keeps reading what it
     * counted, its tallies and a CVE's facets alike; so are the facets kept for every installed
     * package, in rows and in pairs.
     */
    @Test
    void aCountBroughtUpToDateLeavesTheOneItCameFrom() throws Exception {
        Random random = new Random(29);
        List<IndexedHost> hosts = hosts(FleetIndexTest.built(tmp), random);
        SegmentCounts kept = new SegmentCounts(1);
        Watched<CveTallies.Segment> tallies = new Watched<>(CveTallies.COUNTER);
        org.apache.lucene.search.Query every = SearchQuery.builder("cve").build().query();
        org.apache.lucene.search.Query installed = SearchQuery.builder("package").build().query();
        List<Watched<PackageFacets.Segment>> packageCounters = List.of(new Watched<>(PackageFacets.COUNTER),
                new Watched<>(new PackageFacets(0)));
        // no merges: one finished between the two readers would leave no segment to bring up to date
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(200)
                     .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))) {
            for (IndexedHost h : hosts) {
                write(writer, h);
            }
            try (DirectoryReader older = DirectoryReader.open(writer)) {
                List<CveTallies.Segment> counted = kept.count(new IndexSearcher(older), every, "every CVE document", tallies).segments();
                Map<String, CveTally> talliesThen = CveTallies.tallies(older.leaves(), counted);
                Map<String, Map<String, Map<String, Long>>> facetsThen = new HashMap<>();
                for (String cve : talliesThen.keySet()) {
                    facetsThen.put(cve, CveTallies.facets(older.leaves(), counted, cve));
                }
                List<String> names = List.of("libc6", "libssl1.1", "perl-base");
                Map<Watched<PackageFacets.Segment>, List<PackageFacets.Segment>> packagesCounted = new HashMap<>();
                Map<String, Map<String, Map<String, Long>>> packagesThen = new HashMap<>();
                for (Watched<PackageFacets.Segment> counter : packageCounters) {
                    packagesCounted.put(counter, kept.count(new IndexSearcher(older), installed, counter, counter).segments());
                    for (String name : names) {
                        packagesThen.put(name, PackageFacets.facets(older.leaves(), packagesCounted.get(counter), name));
                    }
                }
                for (IndexedHost h : hosts.subList(hosts.size() - 3, hosts.size())) { // the minbase hosts, open to CVEs
                    writer.deleteDocuments(new Term(Schema.OWNER, "host:" + h.host()));
                }
                try (DirectoryReader newer = DirectoryReader.open(writer)) {
                    Map<String, CveTally> now = CveTallies.tallies(newer.leaves(),
                            kept.count(new IndexSearcher(newer), every, "every CVE document", tallies).segments());
                    assertThat(tallies.without).as("brought up to date, not counted afresh").isPositive();
                    assertThat(now).isNotEqualTo(talliesThen);
                    for (Watched<PackageFacets.Segment> counter : packageCounters) {
                        List<PackageFacets.Segment> packagesNow = kept.count(new IndexSearcher(newer), installed, counter, counter).segments();
                        assertThat(counter.without).as("brought up to date, not counted afresh").isPositive();
                        assertThat(PackageFacets.facets(newer.leaves(), packagesNow, "libc6")).isNotEqualTo(packagesThen.get("libc6"));
                    }
                }
                for (Watched<PackageFacets.Segment> counter : packageCounters) {
                    for (String name : names) {
                        assertThat(PackageFacets.facets(older.leaves(), packagesCounted.get(counter), name)).as(name)
                                .isEqualTo(packagesThen.get(name));
                    }
                }
                assertThat(CveTallies.tallies(older.leaves(), counted)).isEqualTo(talliesThen);
                for (String cve : talliesThen.keySet()) {
                    assertThat(CveTallies.facets(older.leaves(), counted, cve)).as(cve).isEqualTo(facetsThen.get(cve));
                }
            }
        }
    }

    /**
     * FleetIndexTest's hosts and three minbase hosts open to CVEs of {@link #tracker}'s, six
     * times each under other names, their CVEs open since moments drawn at random.
     */
    static List<IndexedHost> hosts(FleetIndexTest fleet, Random random) throws Exception {
        List<IndexedHost> judged = new ArrayList<>(fleet.indexed);
        List<String> sources = MinbaseHost.evaluate("m", CveTalliesTest.TRACKER).packages().stream().map(p -> p.source().name()).distinct().sorted().toList();
        for (int t = 0; t < 3; t++) {
            judged.add(new IndexedHost("minbase" + t, List.of("g" + t), org.demi.compliance.evaluation.Verdict.NON_COMPLIANT,
                    java.util.Optional.empty(), "c", MinbaseHost.evaluate("minbase" + t, tracker(sources, random))));
        }
        List<IndexedHost> hosts = new ArrayList<>();
        for (int copy = 0; copy < 6; copy++) {
            for (IndexedHost h : judged) {
                if (h.evaluation().isPresent()) {
                    hosts.add(variant(h, h.host() + "-" + copy, random));
                }
            }
        }
        return hosts;
    }

    /** Lucene's own facet counts of the question's listing. */
    static Map<String, Map<String, Long>> lucene(IndexSearcher searcher, SearchQuery q, int top) throws java.io.IOException {
        FacetsCollector hits = searcher.search(q.query(), new FacetsCollectorManager());
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String dim : Schema.FACETS_BY_TYPE.get(q.type())) {
            DefaultSortedSetDocValuesReaderState state;
            try {
                state = new DefaultSortedSetDocValuesReaderState(searcher.getIndexReader(), Schema.facetField(dim), Documents.FACETS);
            } catch (IllegalArgumentException e) {
                continue; // no document has the dimension
            }
            FacetResult fr = new SortedSetDocValuesFacetCounts(state, hits).getTopChildren(top, dim);
            if (fr != null && fr.childCount > 0) {
                Map<String, Long> values = new LinkedHashMap<>();
                for (LabelAndValue lv : fr.labelValues) {
                    values.put(lv.label, lv.value.longValue());
                }
                out.put(dim, values);
            }
        }
        return out;
    }

    /**
     * Tracker data of the tests' own: 60 CVEs, each open through one to three of the host's
     * sources (a host open to one CVE through two sources counts once as a host, twice as
     * documents), in every urgency, open or fixed in a version the mirror does not have.
     */
    static String tracker(List<String> sources, Random random) {
        String[] urgencies = {"unimportant", "low", "medium", "high", "not yet assigned"};
        Map<String, StringBuilder> bySource = new java.util.TreeMap<>();
        for (int c = 0; c < 60; c++) {
            String cve = "CVE-2026-" + (3000 + random.nextInt(90));
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                StringBuilder b = bySource.computeIfAbsent(sources.get(random.nextInt(sources.size())), x -> new StringBuilder());
                if (b.indexOf('"' + cve + '"') >= 0) {
                    continue;
                }
                String status = random.nextBoolean() ? "\"status\": \"open\""
                        : "\"status\": \"resolved\", \"fixed_version\": \"99:1\"";
                b.append(b.length() == 0 ? "" : ", ").append('"').append(cve).append("\": {\"scope\": \"")
                        .append(random.nextBoolean() ? "local" : "remote").append("\", \"releases\": {\"bookworm\": {").append(status)
                        .append(", \"urgency\": \"").append(urgencies[random.nextInt(urgencies.length)]).append("\"}}}");
            }
        }
        StringBuilder json = new StringBuilder("{");
        bySource.forEach((source, cves) -> json.append(json.length() == 1 ? "" : ", ").append('"').append(source).append("\": {")
                .append(cves).append('}'));
        return json.append('}').toString();
    }

    /** The host under another name, its CVEs open since moments of the last days drawn at random (one in ten unknown). */
    static IndexedHost variant(IndexedHost h, String name, Random random) {
        Map<String, Instant> since = new HashMap<>();
        for (HostCve c : h.evaluation().orElseThrow().openCves()) {
            if (random.nextInt(10) > 0) {
                since.put(CveTimeline.key(c), Instant.parse("2026-11-01T00:00:00Z").plusSeconds(3600L * random.nextInt(200)));
            }
        }
        return new IndexedHost(name, h.groups(), h.verdict(), h.lastSeen(), h.checksum(), h.evaluation(), h.reason(),
                new CveTimeline(since, List.of()), h.waiting());
    }

    /** A few hosts written again (their CVEs' moments moved), now and then one removed. */
    static void churn(IndexWriter writer, List<IndexedHost> hosts, Random random) throws java.io.IOException {
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            IndexedHost h = hosts.get(random.nextInt(hosts.size()));
            if (random.nextInt(8) == 0) {
                writer.deleteDocuments(new Term(Schema.OWNER, "host:" + h.host()));
            } else {
                write(writer, variant(h, h.host(), random));
            }
        }
    }

    static void write(IndexWriter writer, IndexedHost h) throws java.io.IOException {
        writer.updateDocuments(new Term(Schema.OWNER, "host:" + h.host()), Documents.host(h).documents());
    }
}
