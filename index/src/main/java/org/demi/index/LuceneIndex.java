package org.demi.index;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.demi.compliance.advisory.Advisory;

/**
 * The fleet's index in Lucene, in the server's data directory: one document per host, per installed package (host ×
 * package, with every field of its evaluation), per CVE a host is open to (per source) and per
 * advisory.
 *
 * <p>A host's documents are replaced together with one {@code updateDocuments} on its owner
 * term, so a reader sees all of a host's old documents or all of its new ones, never a mix;
 * {@link #refresh()} makes changes searchable (near-real-time, without a commit) and
 * {@link #commit()} durable. A crash between commits loses only changes that the data
 * directory still holds, which a rebuild or the next evaluation puts back.
 *
 * <p>What the overview needs of the CVE documents is kept as hosts are written ({@link
 * #openCves()}); everything else is answered from the reader, and kept for it: answers, a list's
 * total and facets, its hits ranked as far as a page needed them, CVE tallies.
 */
final class LuceneIndex implements FleetIndex {
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Facet counts and CVE tallies per segment, brought from one reader to the next. */
    private final SegmentCounts segmentCounts;
    /** Lists' hits ranked per segment, brought from one reader to the next likewise. */
    private final SegmentCounts rankings;
    /** Segments' keyword values by ordinal, for the CVE tallies. */
    private final OrdinalNames ordinalNames = new OrdinalNames();
    /**
     * The CVE tallies last merged, by question (the few asked most recently): a new reader's are
     * merged anew only for the CVEs whose counts changed since ({@link CveTallies#merge}).
     */
    private final Map<TallyKey, CveTallies.Merged> mergedTallies = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TallyKey, CveTallies.Merged> eldest) {
                    return size() > 8;
                }
            });
    private volatile ResultCache results;

    /**
     * The answers given since the last refresh, by query: the same question asked again of the
     * same reader has the same answer, and the interface asks the same few questions over and
     * over (the overview, a list's facets while it is paged). A refresh that changed anything
     * opens a new reader, and with it an empty cache, so an answer is never older than the
     * reader that would otherwise have computed it.
     * <p>
     * A list's total and facet counts, costly and small, are kept when first computed. A page's
     * rows are large: they are kept only when the same page is asked a second time, and the
     * first time only its question is noted in {@code asked}. Under a load of diverse questions
     * (a random host's page, say), pages kept at the first ask lived a few seconds each, long
     * enough for every young collection to copy them (70 to 110 MB, a 60 to 110 ms pause every
     * 1.4 s at 10,000 hosts, and every request waited it out), while most were never asked again.
     * Kept on the second ask, the pauses' median fell to about 40 ms (FleetLoad, 8 clients).
     */
    private record ResultCache(org.apache.lucene.index.IndexReader reader,
            Map<Object, java.util.concurrent.CompletableFuture<Object>> answers, java.util.Set<Object> asked,
            RankedLists<RankKey> ranked, Map<String, org.apache.lucene.index.OrdinalMap> ordinals) {
        static final int MAX_ENTRIES = 1024;
        /** How many pages asked once are remembered, to keep them if asked again. */
        static final int MAX_ASKED = 4096;
        static final int MAX_ROWS = 1000;
        /** How many hits a list's ranking holds at most (4 MB), and the lists kept together (64 MB). */
        static final int MAX_RANKED_HITS = 1 << 20;
        static final long RANKED_BUDGET = 16L * MAX_RANKED_HITS;

        static ResultCache of(org.apache.lucene.index.IndexReader reader) {
            return new ResultCache(reader, lru(MAX_ENTRIES), java.util.Collections.newSetFromMap(lru(MAX_ASKED)), new RankedLists<>(RANKED_BUDGET),
                    new java.util.concurrent.ConcurrentHashMap<>());
        }

        private static <K, V> Map<K, V> lru(int capacity) {
            return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                    return size() > capacity;
                }
            });
        }
    }

    /**
     * The open CVEs' figures kept up to date as hosts are written (null when searching only).
     * Writes hold the read side of {@code writing}, a refresh the write side, so the reader a
     * refresh opens has every write made before it, and none after.
     */
    private final OpenCveCounts counts;
    private final java.util.concurrent.locks.ReadWriteLock writing = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile Figures figures;

    /** The open CVEs' figures as they were when a reader was opened. */
    private record Figures(org.apache.lucene.index.IndexReader reader, OpenCves openCves) {
    }

    private LuceneIndex(IndexWriter writer, SegmentCounts segmentCounts, SegmentCounts rankings) throws IOException {
        this.writer = writer;
        this.segmentCounts = segmentCounts;
        this.rankings = rankings;
        this.searchers = new SearcherManager(writer, FleetSearcher.FACTORY);
        IndexSearcher searcher = searchers.acquire();
        try {
            this.counts = OpenCveCounts.of(searcher);
            figures = new Figures(searcher.getIndexReader(), counts.figures());
        } finally {
            searchers.release(searcher);
        }
    }

    LuceneIndex(org.apache.lucene.store.Directory dir) throws IOException {
        this.writer = null;
        this.segmentCounts = new SegmentCounts();
        this.rankings = new SegmentCounts();
        this.searchers = new SearcherManager(dir, FleetSearcher.FACTORY);
        this.counts = null;
    }

    /**
     * Opens the last committed state for searching only, beside a server that may be writing
     * (Lucene allows one writer and any number of readers).
     *
     * @throws org.apache.lucene.index.IndexNotFoundException when there is no index yet
     */
    static LuceneIndex openReadOnly(Path dir) throws IOException {
        return new LuceneIndex(FSDirectory.open(dir));
    }

    private IndexWriter writer() {
        if (writer == null) {
            throw new IllegalStateException("this index was opened for searching only");
        }
        return writer;
    }

    static LuceneIndex open(Path dir) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(FullText.ANALYZER);
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setRAMBufferSizeMB(256);
        config.setCodec(new RowCodec());
        SegmentCounts counted = new SegmentCounts();
        SegmentCounts ranked = new SegmentCounts();
        config.setMergedSegmentWarmer(segment -> {
            try {
                counted.warm(segment);
                ranked.warm(segment);
            } catch (IOException | RuntimeException e) {
                // Not the merge's failure: the first reader holding the segment counts it instead.
                System.getLogger(LuceneIndex.class.getName()).log(System.Logger.Level.WARNING,
                        "index: counting a merged segment ahead failed; searches will count it", e);
            }
        });
        return new LuceneIndex(new IndexWriter(FSDirectory.open(dir), config), counted, ranked);
    }

    @Override
    public Indexed replaceHost(IndexedHost host, Optional<Indexed> was) throws IOException {
        Documents.Built built = Documents.host(host);
        Indexed now = Indexed.of(host, built.digest());
        if (was.isPresent() && was.get().equals(now)) {
            return was.get();
        }
        if (was.isPresent() && was.get().sameDocuments(now)) {
            seen(host.host(), now.lastSeen().orElseThrow());
            return now;
        }
        write(host.host(), built.exposures(), owner -> writer().updateDocuments(owner, built.documents()));
        return now;
    }

    /** Changes the host document's doc value in place, found by its own key (the host's other documents have none). */
    @Override
    public void seen(String host, Instant when) throws IOException {
        writer().updateDocValues(new Term(Schema.ID, "host:" + host), Documents.seen(Optional.of(when)));
    }

    @Override
    public void removeHost(String host) throws IOException {
        write(host, List.of(), owner -> writer().deleteDocuments(owner));
    }

    private interface Write {
        void to(Term owner) throws IOException;
    }

    /** Writes a host's documents, counting its new exposures in the open CVEs' figures instead of its old ones. */
    private void write(String host, List<OpenCves.Exposure> exposures, Write write) throws IOException {
        Term owner = new Term(Schema.OWNER, "host:" + host);
        writer();
        writing.readLock().lock();
        try {
            counts.written(host, exposures, h -> indexedExposures(owner));
            write.to(owner);
        } finally {
            writing.readLock().unlock();
        }
    }

    /** The exposures of the owner's CVE documents in the last refreshed reader. */
    private List<OpenCves.Exposure> indexedExposures(Term owner) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return OpenCveCounts.read(searcher, owner);
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * The open CVEs' figures for what searches see now: kept up to date as hosts are written,
     * or, on an index opened for searching only, counted in one pass (once per reader).
     * <p>
     * A refresh opens the new reader and then sets its figures, both on the write side of
     * {@code writing}; taken on the read side, the figures are those of the searchers' reader.
     * Without it, an overview asked between the two counted every CVE document again (0.5 to 2.2 s
     * at 10,000 hosts, in a profile of FleetLoad's push phase).
     */
    @Override
    public OpenCves openCves() throws IOException {
        if (counts == null) {
            IndexSearcher searcher = searchers.acquire();
            try {
                return once(searcher, OpenCves.class, cache -> OpenCveCounts.of(searcher).figures());
            } finally {
                searchers.release(searcher);
            }
        }
        writing.readLock().lock();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Figures f = figures;
                if (f.reader() != searcher.getIndexReader()) {
                    throw new IllegalStateException("the open CVEs' figures are not those of the reader searched");
                }
                return f.openCves();
            } finally {
                searchers.release(searcher);
            }
        } finally {
            writing.readLock().unlock();
        }
    }

    @Override
    public void replaceAdvisories(Collection<Advisory> advisories) throws IOException {
        List<Document> docs = new ArrayList<>(advisories.size());
        for (Advisory a : advisories) {
            docs.add(Documents.advisory(a));
        }
        Term owner = new Term(Schema.OWNER, "advisories");
        if (docs.isEmpty()) {
            writer().deleteDocuments(owner); // an update with no documents upsets IndexWriter's accounting
        } else {
            writer().updateDocuments(owner, docs);
        }
    }

    /** Removes every document, advisories too (before a rebuild). */
    @Override
    public void clear() throws IOException {
        writer();
        writing.writeLock().lock();
        try {
            counts.cleared();
            writer.deleteAll();
            judgedBy(Optional.empty());
        } finally {
            writing.writeLock().unlock();
        }
    }

    @Override
    public void refresh() throws IOException {
        if (writer == null) {
            searchers.maybeRefreshBlocking();
        } else {
            writing.writeLock().lock();
            try {
                searchers.maybeRefreshBlocking();
                OpenCves now = counts.refreshed();
                IndexSearcher searcher = searchers.acquire();
                try {
                    figures = new Figures(searcher.getIndexReader(), now);
                } finally {
                    searchers.release(searcher);
                }
            } finally {
                writing.writeLock().unlock();
            }
        }
    }

    @Override
    public void commit() throws IOException {
        writer().commit();
    }

    /** Where a commit keeps what every host was judged by. */
    private static final String JUDGED_BY = "demi.judged-by";

    @Override
    public Optional<String> judgedBy() {
        Iterable<Map.Entry<String, String>> data = writer == null ? null : writer.getLiveCommitData();
        if (data != null) {
            for (Map.Entry<String, String> e : data) {
                if (e.getKey().equals(JUDGED_BY)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void judgedBy(Optional<String> inputs) {
        writer().setLiveCommitData(inputs.map(v -> Map.of(JUDGED_BY, v)).orElse(Map.of()).entrySet());
    }

    @Override
    public long version() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return ((DirectoryReader) searcher.getIndexReader()).getVersion();
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public long documents() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
    }

    /** The files of the directory written to (a merge may delete one while they are summed: it no longer counts). */
    @Override
    public java.util.OptionalLong bytesOnDisk() throws IOException {
        if (writer == null) {
            return java.util.OptionalLong.empty();
        }
        org.apache.lucene.store.Directory dir = writer.getDirectory();
        long bytes = 0;
        for (String file : dir.listAll()) {
            try {
                bytes += dir.fileLength(file);
            } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
                // merged away since listAll: its bytes are no longer the index's
            }
        }
        return java.util.OptionalLong.of(bytes);
    }

    @Override
    public long count(SearchQuery q) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.count(q.query());
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public long sum(SearchQuery q, IndexField field) throws IOException {
        IndexArguments.number(field);
        IndexSearcher searcher = searchers.acquire();
        try {
            long[] total = {0};
            searcher.search(q.query(), new org.apache.lucene.search.SimpleCollector() {
                private org.apache.lucene.index.NumericDocValues values;

                @Override
                protected void doSetNextReader(org.apache.lucene.index.LeafReaderContext context) throws IOException {
                    values = org.apache.lucene.index.DocValues.getNumeric(context.reader(), field.word());
                }

                @Override
                public void collect(int doc) throws IOException {
                    if (values.advanceExact(doc)) {
                        total[0] += values.longValue();
                    }
                }

                @Override
                public org.apache.lucene.search.ScoreMode scoreMode() {
                    return org.apache.lucene.search.ScoreMode.COMPLETE_NO_SCORES;
                }
            });
            return total[0];
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public Result search(SearchQuery q, int offset, int limit, int facetValues) throws IOException {
        IndexArguments.page(offset, limit, facetValues);
        IndexSearcher searcher = searchers.acquire();
        try {
            if (limit > ResultCache.MAX_ROWS) {
                return compute(searcher, q, offset, limit, facetValues, null);
            }
            CacheKey key = new CacheKey(q.query(), q.sort(), offset, limit, facetValues);
            return once(searcher, key, cache -> compute(searcher, q, offset, limit, facetValues, cache),
                    cache -> !cache.asked().add(key));
        } finally {
            searchers.release(searcher);
        }
    }

    /** What an answer is computed by, given the reader's cache. */
    private interface Computation<T> {
        T compute(ResultCache cache) throws IOException;
    }

    /** {@link #once(IndexSearcher, Object, Computation, java.util.function.Predicate)}, kept once computed. */
    private <T> T once(IndexSearcher searcher, Object key, Computation<T> computation) throws IOException {
        return once(searcher, key, computation, cache -> true);
    }

    /**
     * The answer to {@code key} for the searcher's reader: computed once per question, and
     * searches that ask it meanwhile wait for that one computation instead of each making it
     * again (after a refresh, every client misses at once); kept for the next searches when
     * {@code keep} says so once it is computed.
     */
    @SuppressWarnings("unchecked")
    private <T> T once(IndexSearcher searcher, Object key, Computation<T> computation, java.util.function.Predicate<ResultCache> keep)
            throws IOException {
        ResultCache cache = results;
        if (cache == null || cache.reader() != searcher.getIndexReader()) {
            cache = ResultCache.of(searcher.getIndexReader());
            results = cache;
        }
        java.util.concurrent.CompletableFuture<Object> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Object> known = cache.answers().putIfAbsent(key, mine);
        if (known == null) {
            try {
                mine.complete(computation.compute(cache));
                if (!keep.test(cache)) {
                    cache.answers().remove(key, mine);
                }
            } catch (IOException | RuntimeException e) {
                cache.answers().remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            known = mine;
        }
        try {
            return (T) known.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Every CVE the host CVE documents matching {@code q} name, by id, with its hosts, states,
     * urgencies, sources and oldest "since", counted in one pass (see {@link CveTally}); kept
     * for the reader like a search's answer.
     */
    @Override
    public Map<String, CveTally> cveTallies(SearchQuery q) throws IOException {
        IndexArguments.cves(q);
        IndexSearcher searcher = searchers.acquire();
        try {
            TallyKey key = new TallyKey(q.query());
            return once(searcher, key, cache -> {
                CveTallies.Merged merged = CveTallies.merge(searcher.getIndexReader().leaves(),
                        segmentCounts.count(searcher, q.query(), key, CveTallies.COUNTER).segments(), ordinalNames, mergedTallies.get(key));
                mergedTallies.put(key, merged);
                return merged.tallies();
            });
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * From the counts of every host CVE document, which the CVE list keeps from one reader to the
     * next: one ordinal merged per segment, instead of a pass over the CVE's own documents.
     */
    @Override
    public Optional<CveTally> cveTally(String cve) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return CveTallies.tally(searcher.getIndexReader().leaves(), everyCve(searcher), cve, ordinalNames);
        } finally {
            searchers.release(searcher);
        }
    }

    /** The CVE list, unfiltered: every host CVE document, whose tallies every CVE's page reads. */
    private static final SearchQuery CVE_LIST = SearchQuery.builder("cve").build();
    private static final org.apache.lucene.search.Query EVERY_CVE = CVE_LIST.query();
    private static final TallyKey EVERY_CVE_TALLIES = new TallyKey(EVERY_CVE);
    /** Every installed package, whose facets every package's page reads. */
    private static final org.apache.lucene.search.Query EVERY_PACKAGE = SearchQuery.builder("package").build().query();
    private static final FacetsKey EVERY_PACKAGE_FACETS = new FacetsKey(EVERY_PACKAGE, "every package's");

    /** The tallies of every host CVE document (the CVE list's), segment by segment, for this searcher's reader. */
    private List<CveTallies.Segment> everyCve(IndexSearcher searcher) throws IOException {
        return segmentCounts.count(searcher, EVERY_CVE, EVERY_CVE_TALLIES, CveTallies.COUNTER).segments();
    }

    /** The facets of every installed package, segment by segment, for this searcher's reader (see {@link PackageFacets}). */
    private List<PackageFacets.Segment> everyPackage(IndexSearcher searcher) throws IOException {
        return segmentCounts.count(searcher, EVERY_PACKAGE, EVERY_PACKAGE_FACETS, PackageFacets.COUNTER).segments();
    }

    /**
     * The tallies of every host CVE document, which the CVE list and every CVE's page read, and
     * the facets of every installed package, which every package's page reads: each a pass over
     * millions of documents when first asked (a quarter of a second and more at 10,000 hosts),
     * made at start instead of on the first page, and kept from then on as segments change.
     */
    @Override
    public void warm() throws IOException {
        // Declared before they are counted, so that every merge ending from now on counts its
        // segment for them as it writes it. Declared as their count ended (as a page's wide
        // question is kept), a merge ending during it (seconds, over millions of documents, with
        // the start's merges still running) was left to the first page reading the merged
        // segment: a CVE's page took 2 s, a package's 2.6 s, in FleetLoad's warm-up.
        segmentCounts.standing(EVERY_CVE_TALLIES, EVERY_CVE, CveTallies.COUNTER);
        segmentCounts.standing(EVERY_PACKAGE_FACETS, EVERY_PACKAGE, PackageFacets.COUNTER);
        refresh(); // and the merges ended since the last refresh are in the reader counted below
        cveTallies(CVE_LIST);
        IndexSearcher searcher = searchers.acquire();
        try {
            everyPackage(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    private record TallyKey(org.apache.lucene.search.Query query) {
    }

    /**
     * Lucene's queries and sorts are immutable values with equals and hashCode: the question
     * itself is the key (the query holds its type filter, which also decides the facets counted).
     */
    private record CacheKey(org.apache.lucene.search.Query query, org.apache.lucene.search.Sort sort, int offset, int limit,
            int facetValues) {
    }

    /** A result's parts that do not depend on its sort or page: what is counted, for a query. */
    private record Counted(long total, Map<String, Map<String, Long>> facets) {
    }

    private record CountKey(org.apache.lucene.search.Query query, String type, int facetValues) {
    }

    /**
     * Computes a result. The total and the facet counts of a query are the same whatever its
     * sort and page, so they are kept per reader with the answers (when there is a cache): paging through
     * a list, or sorting it by another column, then only collects the top hits, and does not
     * count every facet of every hit again.
     */
    private Result compute(IndexSearcher searcher, SearchQuery q, int offset, int limit, int facetValues, ResultCache cache)
            throws IOException {
        int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
        int end = (int) Math.min((long) offset + limit, maxDoc);
        CountKey key = new CountKey(q.query(), q.type(), facetValues);
        if (facetValues == 0 && offset == 0 && end > 0 && (cache == null || !cache.answers().containsKey(key))) {
            // A first page with no facet, its list not yet counted (a CVE's installed packages, a
            // host's CVEs): the collector visits every hit anyway, so it counts them too, instead of
            // a pass of its own before (at 10,000 hosts, 2.9 of the 7.4 ms a common CVE's packages took).
            // Told to count every hit, the collector never skips one, so its total is exact.
            TopDocs top = top(searcher, q, end, Integer.MAX_VALUE);
            Counted c = new Counted(top.totalHits.value, Map.of());
            if (cache != null) {
                once(searcher, key, x -> c); // for the list's next pages
            }
            return page(searcher, c, docs(top), 0, end);
        }
        // Counted once per reader, whoever asks first: the pages of a list asked for at once after
        // a refresh wait for one count instead of each counting every facet of every hit.
        Counted c = cache == null ? count(searcher, q, facetValues) : once(searcher, key, x -> count(searcher, q, facetValues));
        if (end <= offset) {
            // No row asked for (a count and its facets: the CVE list's documents, the releases of the hosts), or a page
            // past the last hit: nothing to rank. Ranking the first hit still read the sort values of every hit.
            return new Result(c.total(), List.of(), c.facets());
        }
        RankKey rankKey = new RankKey(q.query(), q.sort());
        int[] ranked = cache == null ? null : cache.ranked().get(rankKey);
        if (reaches(ranked, end, c.total())) {
            return page(searcher, c, ranked, offset, end);
        }
        // A page past the first: the hits ranked per segment (kept from one reader to the next) and
        // merged as far as the next power of two past the page, at least 1,024 hits (once per reader,
        // whoever asks first), so that paging on through the list, or jumping around in it, is
        // answered from the merged hits. A list of more hits than are merged at most (every pending
        // update at 100,000 hosts, 4.6 million) is ranked per segment only as deep as its pages go.
        int far = (int) Math.min(c.total(), Math.max(1024, Long.highestOneBit(end - 1L) << 1));
        if (cache != null && offset > 0 && far <= ResultCache.MAX_RANKED_HITS && Ranking.supports(q.sort())) {
            int depth = c.total() <= ResultCache.MAX_RANKED_HITS ? Ranking.WHOLE : Ranking.depthFor(far);
            // Merged once for the pages asking at the same time; kept among the ranked lists alone, so
            // that a list they have pushed out is merged again (not sent to the collector).
            int[] merged = once(searcher, new Merging(rankKey, far), x -> {
                int[] hits = Ranking.rank(searcher, q.query(), q.sort(), far, depth, x.ordinals(), rankings);
                x.ranked().put(rankKey, hits);
                return hits;
            }, x -> false);
            return page(searcher, c, merged, offset, end);
        }
        // Otherwise rank at least twice as far as the last time.
        int n = Math.max(1, end);
        if (ranked != null && offset > 0) {
            n = (int) Math.max(n, Math.min(2L * ranked.length, Math.min(maxDoc, ResultCache.MAX_RANKED_HITS)));
        }
        int[] docs = docs(top(searcher, q, n, n));
        if (cache != null && offset > 0 && docs.length <= ResultCache.MAX_RANKED_HITS) {
            cache.ranked().put(rankKey, docs);
        }
        return page(searcher, c, docs, offset, end);
    }

    /**
     * The first {@code n} hits by Lucene's collector, which counts the hits exactly as far as
     * {@code counted} (beyond, the total is only known to be greater).
     */
    private TopDocs top(IndexSearcher searcher, SearchQuery q, int n, int counted) throws IOException {
        org.apache.lucene.search.Sort sort = CveOrder.standsFor(q.sort())
                && once(searcher, CveOrder.class, x -> CveOrder.heldByEvery(searcher.getIndexReader())) ? CveOrder.BY_KEY : q.sort();
        return searcher.search(q.query(), new org.apache.lucene.search.TopFieldCollectorManager(sort, n, null, counted));
    }

    private static int[] docs(TopDocs top) {
        int[] docs = new int[top.scoreDocs.length];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = top.scoreDocs[i].doc;
        }
        return docs;
    }

    /** The page from {@code offset} to {@code end} of a list's ranked hits (as far as they go), with what was counted of it. */
    private static Result page(IndexSearcher searcher, Counted c, int[] hits, int offset, int end) throws IOException {
        return new Result(c.total(), StoredRows.read(searcher, hits, offset, Math.min(hits.length, end)), c.facets());
    }

    /** The total and the facet counts of a query's hits. */
    private Counted count(IndexSearcher searcher, SearchQuery q, int facetValues) throws IOException {
        if (facetValues == 0) {
            return new Counted(searcher.count(q.query()), Map.of());
        }
        Optional<String> cve = CveTallies.hostsOf(q);
        if (cve.isPresent()) {
            // the cve dimension fixed (its count is the hits'), as FacetCounts.of would fix it
            return hostsCountedAlone(searcher, q, Map.of(IndexField.CVE.word(), cve.get()), facetValues,
                    CveTallies.facets(searcher.getIndexReader().leaves(), everyCve(searcher), cve.get()));
        }
        Optional<String> installed = PackageFacets.hostsOf(q);
        if (installed.isPresent()) {
            return hostsCountedAlone(searcher, q, Map.of(), facetValues,
                    PackageFacets.facets(searcher.getIndexReader().leaves(), everyPackage(searcher), installed.get()));
        }
        FacetCounts facets = FacetCounts.of(q.type(), q.query());
        SegmentCounts.Counts<FacetCounts.Segment> c = segmentCounts.count(searcher, q.query(), new FacetsKey(q.query(), q.type()), facets);
        return new Counted(c.documents(), facets.top(searcher.getIndexReader().leaves(), c.segments(), c.documents(), facetValues));
    }

    /**
     * A CVE's or a package's hosts list, as its page asks for it: the hosts are counted hit by
     * hit, and the other dimensions ({@code fixed} aside, whose count is the hits') are those
     * {@code kept} for every CVE or package from one reader to the next (one row merged per
     * segment), instead of five or six more doc values read for each hit (at 100,000 hosts, a
     * common CVE's or package's 100,000).
     */
    private Counted hostsCountedAlone(IndexSearcher searcher, SearchQuery q, Map<String, String> fixed, int facetValues,
            Map<String, Map<String, Long>> kept) throws IOException {
        List<String> dims = new java.util.ArrayList<>(fixed.keySet());
        dims.add(Schema.HOST);
        FacetCounts hosts = new FacetCounts(dims, fixed);
        SegmentCounts.Counts<FacetCounts.Segment> c = segmentCounts.count(searcher, q.query(), new FacetsKey(q.query(), q.type() + " hosts"),
                hosts);
        Map<String, Map<String, Long>> counted = hosts.top(searcher.getIndexReader().leaves(), c.segments(), c.documents(), facetValues);
        Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
        for (String dim : Schema.FACETS_BY_TYPE.get(q.type())) {
            if (kept.containsKey(dim)) {
                facets.put(dim, FacetCounts.top(kept.get(dim), facetValues));
            } else if (counted.containsKey(dim)) {
                facets.put(dim, counted.get(dim));
            }
        }
        return new Counted(c.documents(), java.util.Collections.unmodifiableMap(facets));
    }

    /** A question's facet counts, kept per segment (whatever how many values of each are shown). */
    private record FacetsKey(org.apache.lucene.search.Query query, String type) {
    }

    /** Whether a list's ranked hits (null: none) reach a page ending at {@code end}: that far, or all of them. */
    private static boolean reaches(int[] ranked, int end, long total) {
        return ranked != null && (ranked.length >= end || ranked.length == total);
    }

    /** A list's hits being merged this far, into {@link ResultCache#ranked}. */
    private record Merging(RankKey list, int far) {
    }

    /** A list's hits in its order, as far as some page needed them. */
    private record RankKey(org.apache.lucene.search.Query query, org.apache.lucene.search.Sort sort) {
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        if (writer != null) {
            writer.close();
        }
    }
}
