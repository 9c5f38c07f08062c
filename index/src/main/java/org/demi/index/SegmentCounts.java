package org.demi.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Counts over the documents a query matches, made segment by segment and kept from one reader
 * to the next. A segment never changes but for deletions, so a new reader's count of a segment
 * counted before is the old count less the documents deleted since, and only the segments the
 * refresh wrote are counted whole. A push deletes its host's old documents from one segment and
 * writes a small new one: the counts a page needs after it cost what that host's documents cost,
 * not what the fleet's do.
 *
 * <p>A count is kept with the documents it counted (a bit set of the segment's live matching
 * documents) and the number of deletions it saw: for a given segment, deletions only grow, so an
 * equal number means the very same live documents. Counts are values: bringing one up to date
 * makes a new one, and a search still holding an older reader keeps the count it had.
 *
 * <p>The bit set is Lucene's sparse one when the documents are few beside the segment's (under
 * one in 128, as {@link BitSet#of} chooses): a package's or a CVE's hosts are one document in
 * hundreds, and a dense set of them would hold a bit for each of the segment's millions (760 KB
 * at 10,000 hosts, 7.5 MB at 100,000, for each question kept), copied whole at every push that
 * deletes from the segment.
 *
 * <p>A merge writes a segment as large as the ones it merged, which no count knows: the first
 * page after it would count it whole while its asker waits (seconds, for a merge of millions of
 * documents). The index writer hands each merged segment to {@link #warm} before any reader sees
 * it, so the kept wide questions are counted there, on the merge's thread.
 */
final class SegmentCounts {
    /**
     * How many questions' counts are kept (each holds a bit per document of its segments), of
     * wide ones and of others. A wide question matches at least a {@link #WIDE_SHARE}th of the
     * index (every CVE document, every pending update): counted whole it would hold a page up for
     * seconds. The pages' narrow questions (a package's hosts, a group's) come and go by the dozen
     * a second; kept apart, they cannot crowd the wide ones out.
     */
    static final int MAX_QUESTIONS = 32;
    static final int MAX_WIDE_QUESTIONS = 16;
    static final int WIDE_SHARE = 64;
    /** How many documents a segment's count must have counted to be kept, unless told otherwise. */
    static final int KEPT_FROM = 1024;

    private final int keptFrom;

    SegmentCounts() {
        this(KEPT_FROM);
    }

    /** @param keptFrom how many documents a segment's count must have counted to be kept */
    SegmentCounts(int keptFrom) {
        this.keptFrom = keptFrom;
    }

    /** A kind of count over one segment's matching documents. */
    interface Counter<C> {
        /** The count of these documents (live, matching, in order). */
        C count(LeafReaderContext segment, DocIdSetIterator docs) throws IOException;

        /**
         * A new count: {@code count} less these documents, each of which it counted (in order);
         * {@code left} are the documents it still counts.
         */
        C without(C count, LeafReaderContext segment, DocIdSetIterator docs, BitSet left) throws IOException;
    }

    /** One segment's count, with the documents it counted and the segment's deletions then. */
    private record Kept(int deletions, BitSet counted, int documents, Object count) {
    }

    /** A question asked, how it is counted, and its last counts by segment core. */
    private record Question(Object key, Query query, Counter<?> counter, Map<Object, Kept> segments) {
    }

    /** By question: the last counts made, of wide questions and of others. */
    private final Map<Object, Question> wide = lru(MAX_WIDE_QUESTIONS);
    private final Map<Object, Question> narrow = lru(MAX_QUESTIONS);

    private static Map<Object, Question> lru(int capacity) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Question> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * Questions counted ahead in every merged segment from when they are declared, whether asked
     * yet or not, and never crowded out: the ones every CVE's or package's page reads.
     */
    private final Map<Object, Question> standing = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Declares {@code question} standing: from now on, every segment a merge writes is counted for
     * it before readers see it, as for the wide questions kept. A question becomes one of those
     * only once a count of it is done; one declared before its first count also covers the merges
     * that end while that count runs (seconds, over millions of documents).
     */
    void standing(Object question, Query query, Counter<?> counter) {
        standing.putIfAbsent(question, new Question(question, query, counter, Map.of()));
    }

    /** How many documents a segment's count of the question must have counted to be kept: any number, when standing. */
    private int keptFrom(Object question) {
        return standing.containsKey(question) ? 1 : keptFrom;
    }

    /** By segment core, by question: the counts of merged segments made ahead, until the question keeps them. */
    private final Map<Object, Map<Object, Kept>> warmed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A question's counts, one per segment of the searcher's reader, and how many documents they counted. */
    record Counts<C>(List<C> segments, long documents) {
    }

    /**
     * The counts of the documents {@code query} matches, per segment of the searcher's reader.
     *
     * @param question what is counted, as a key: the query and the counter's kind
     */
    @SuppressWarnings("unchecked")
    <C> Counts<C> count(IndexSearcher searcher, Query query, Object question, Counter<C> counter) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        Question asked = wide.get(question);
        if (asked == null) {
            asked = narrow.get(question);
        }
        // A question about a time field is counted afresh: a value changed in place changes its
        // matches in a segment whose core and deletions stay as they were.
        boolean keep = !TimeRange.askedBy(query);
        Map<Object, Kept> before = asked == null || !keep ? Map.of() : asked.segments();
        Map<Object, Kept> now = new HashMap<>();
        List<Object> madeAhead = new ArrayList<>();
        Weight weight = null;
        List<C> out = new ArrayList<>();
        long documents = 0;
        for (LeafReaderContext segment : reader.leaves()) {
            IndexReader.CacheHelper core = segment.reader().getCoreCacheHelper();
            int deletions = segment.reader().numDeletedDocs();
            Kept k = core == null ? null : known(before, core.getKey(), question, keep, madeAhead);
            if (k != null && k.deletions() > deletions) {
                k = null; // counted for a later reader than this one: count again
            }
            if (k != null && k.deletions() < deletions) {
                k = without(k, segment, deletions, counter);
            }
            if (k == null) {
                if (weight == null) {
                    weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1);
                }
                k = counted(weight, segment, deletions, counter, keptFrom(question));
            }
            if (keep && core != null && k.counted() != null) {
                now.put(core.getKey(), k);
            }
            out.add((C) k.count());
            documents += k.documents();
        }
        if (!now.isEmpty() || !before.isEmpty()) {
            // the segments of this reader only: merged-away ones go
            Question q = new Question(question, query, counter, Map.copyOf(now));
            boolean isWide = documents * WIDE_SHARE >= reader.maxDoc();
            (isWide ? wide : narrow).put(question, q);
            (isWide ? narrow : wide).remove(question);
            for (Object core : madeAhead) {
                taken(core, question); // kept with the question from now on
            }
        }
        return new Counts<>(List.copyOf(out), documents);
    }

    /**
     * A segment's count made before, if any: the question's last; else a merged segment's made as
     * it was written (its core then noted in {@code madeAhead}); else one that another search of
     * the question kept since this one began.
     */
    private Kept known(Map<Object, Kept> before, Object core, Object question, boolean keep, List<Object> madeAhead) {
        Kept k = before.get(core);
        if (k == null) {
            k = warmed(core, question);
            if (k != null) {
                madeAhead.add(core);
            } else if (keep) {
                k = latest(question, core);
            }
        }
        return k;
    }

    /**
     * The count of a merged segment made when it was written. It waits until a count of the
     * question that used it is kept ({@link #taken}), not only until it is first read: the pages
     * asking one list at several depths after a refresh count it at once, and all but the first
     * counted a merged segment whole (1.5 s for a deep page of pending updates at 10,000 hosts).
     */
    private Kept warmed(Object core, Object question) {
        Map<Object, Kept> counts = warmed.get(core);
        return counts == null ? null : counts.get(question);
    }

    /** A merged segment's count made ahead for the question, no longer waiting: the question keeps it. */
    private void taken(Object core, Object question) {
        warmed.computeIfPresent(core, (c, counts) -> {
            counts.remove(question);
            return counts.isEmpty() ? null : counts;
        });
    }

    /** The question's count of a segment kept last, by whichever search of it ended last. */
    private Kept latest(Object question, Object core) {
        Question q = wide.get(question);
        if (q == null) {
            q = narrow.get(question);
        }
        return q == null ? null : q.segments().get(core);
    }

    /**
     * Counts a segment a merge wrote, before readers see it, for every standing question and every
     * wide question whose counts are kept: the first reader holding it then only takes out what
     * was deleted since.
     */
    void warm(LeafReader segment) throws IOException {
        IndexReader.CacheHelper core = segment.getCoreCacheHelper();
        if (core == null) {
            return;
        }
        Map<Object, Question> questions = new LinkedHashMap<>(standing);
        synchronized (wide) {
            for (Question q : wide.values()) { // narrow ones cost their asker little
                if (!q.segments().isEmpty()) { // else a small question: counted when asked
                    questions.put(q.key(), q);
                }
            }
        }
        IndexSearcher searcher = new FleetSearcher(segment);
        Map<Object, Kept> counts = new java.util.concurrent.ConcurrentHashMap<>();
        for (Question q : questions.values()) {
            Weight weight = searcher.createWeight(searcher.rewrite(q.query()), ScoreMode.COMPLETE_NO_SCORES, 1);
            Kept k = counted(weight, segment.getContext(), segment.numDeletedDocs(), q.counter(), keptFrom(q.key()));
            if (k.counted() != null) {
                counts.put(q.key(), k);
            }
        }
        if (!counts.isEmpty()) {
            warmed.put(core.getKey(), counts);
            core.addClosedListener(warmed::remove); // a merge given up, or counts never asked for
        }
    }

    /**
     * A segment's count made whole. Kept (with a bit set of the documents it counted) only when it
     * counted {@code keptFrom} documents or more: a few are counted again faster than a bit set is
     * copied, and a page's small questions (a host's packages) would crowd the fleet-wide ones out.
     * A standing question's counts are kept however few: its question is always kept, and every
     * CVE's page read its tallies, counting the small segments of the last pushes again each time.
     */
    private <C> Kept counted(Weight weight, LeafReaderContext segment, int deletions, Counter<C> counter, int keptFrom) throws IOException {
        int[] docs = new int[64];
        int n = 0;
        Scorer scorer = weight.scorer(segment);
        if (scorer != null) {
            Bits live = segment.reader().getLiveDocs();
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    if (n == docs.length) {
                        docs = java.util.Arrays.copyOf(docs, n * 2);
                    }
                    docs[n++] = doc;
                }
            }
        }
        if (n < keptFrom) {
            return new Kept(deletions, null, n, counter.count(segment, new Listed(docs, n)));
        }
        BitSet counted = BitSet.of(new Listed(docs, n), segment.reader().maxDoc());
        return new Kept(deletions, counted, n, counter.count(segment, new Listed(docs, n)));
    }

    /** Documents listed in order. */
    private static final class Listed extends DocIdSetIterator {
        private final int[] docs;
        private final int n;
        private int i = -1;

        Listed(int[] docs, int n) {
            this.docs = docs;
            this.n = n;
        }

        @Override
        public int docID() {
            return i < 0 ? -1 : i < n ? docs[i] : NO_MORE_DOCS;
        }

        @Override
        public int nextDoc() {
            if (i < n) {
                i++;
            }
            return docID();
        }

        @Override
        public int advance(int target) throws IOException {
            return slowAdvance(target);
        }

        @Override
        public long cost() {
            return n;
        }
    }

    /** The kept count brought to the segment's deletions now. */
    private static <C> Kept without(Kept k, LeafReaderContext segment, int deletions, Counter<C> counter) throws IOException {
        Bits live = segment.reader().getLiveDocs(); // not null: there are deletions
        // The documents gone are one host's few; a dense set is copied less them, a sparse one listed anew.
        FixedBitSet dense = k.counted() instanceof FixedBitSet f ? f : null;
        int[] left = dense == null ? new int[k.documents()] : null;
        int[] gone = new int[64];
        int l = 0;
        int n = 0;
        BitSetIterator it = new BitSetIterator(k.counted(), k.documents());
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
            if (!live.get(doc)) {
                if (n == gone.length) {
                    gone = java.util.Arrays.copyOf(gone, n * 2);
                }
                gone[n++] = doc;
            } else if (left != null) {
                left[l++] = doc;
            }
        }
        if (n == 0) {
            return new Kept(deletions, k.counted(), k.documents(), k.count());
        }
        BitSet counted;
        if (dense != null) {
            FixedBitSet copy = dense.clone();
            for (int i = 0; i < n; i++) {
                copy.clear(gone[i]);
            }
            counted = copy;
        } else {
            counted = BitSet.of(new Listed(left, l), k.counted().length());
        }
        @SuppressWarnings("unchecked")
        C count = counter.without((C) k.count(), segment, new Listed(gone, n), counted);
        return new Kept(deletions, counted, k.documents() - n, count);
    }
}
