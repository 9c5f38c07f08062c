package org.demi.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;

/**
 * Every CVE's hosts, states, urgencies, sources and oldest "since" over the host CVE documents a
 * question matches, counted from their doc values only — instead of one faceted search per CVE —
 * segment by segment, so that a new reader counts only what changed ({@link SegmentCounts}).
 *
 * <p>Distinct hosts are counted by remembering, per CVE, the last host seen: a host's documents
 * are written as one block ({@code updateDocuments}), which Lucene keeps adjacent in a single
 * segment, so a host's documents naming a CVE are never interleaved with another host's; and
 * they are deleted together, so the documents a new reader no longer has are whole hosts too.
 */
final class CveTallies implements SegmentCounts.Counter<CveTallies.Segment> {
    static final CveTallies COUNTER = new CveTallies();

    private static final String CVE_FIELD = Schema.facetField(IndexField.CVE.word());
    /** A host's groups are several-valued: held only as their facet's doc values. */
    private static final String GROUP_FIELD = Schema.facetField(IndexField.GROUP.word());

    private CveTallies() {
    }

    /**
     * One segment's counts, by its ordinals. Values: {@link #without} makes a new one.
     *
     * <p>A CVE is open through one source almost always: that one is counted in arrays, any other
     * in a map (counting all of them in the map made a pass over 1.9 M documents half as slow again).
     */
    static final class Segment {
        final int stateValues;
        final long[] hosts;
        final long[] exposures;
        final long[] states;
        /** Per CVE, documents by urgency and state ordinal ({@code urgency * stateValues + state}); null: none. */
        final int[][] urgencyStates;
        /** Per CVE, the oldest "since" ordinal (ordinals follow the values' order: ISO instants) and how many documents have it. */
        final int[] oldest;
        final int[] atOldest;
        final int[] firstSource;
        final long[] firstSourceCount;
        /** Documents by (CVE ordinal, source ordinal), packed, for any source after the first. */
        final Map<Long, Long> otherSources;
        final int scopeValues;
        final int releaseValues;
        /**
         * Per CVE, documents by scope ordinal, then by release ordinal, then by group ordinal
         * ({@code scopeValues + releaseValues + group}); null: none. With the states, urgencies and
         * sources above, they are a CVE's hosts list's facets ({@link #facets}).
         */
        final int[][] facets;

        private Segment(int cves, int stateValues, int scopeValues, int releaseValues) {
            this.stateValues = stateValues;
            this.scopeValues = scopeValues;
            this.releaseValues = releaseValues;
            facets = new int[cves][];
            hosts = new long[cves];
            exposures = new long[cves];
            states = new long[cves * stateValues];
            urgencyStates = new int[cves][];
            oldest = new int[cves];
            Arrays.fill(oldest, Integer.MAX_VALUE);
            atOldest = new int[cves];
            firstSource = new int[cves];
            Arrays.fill(firstSource, -1);
            firstSourceCount = new long[cves];
            otherSources = new HashMap<>();
        }

        private Segment(Segment s) {
            stateValues = s.stateValues;
            scopeValues = s.scopeValues;
            releaseValues = s.releaseValues;
            facets = new int[s.facets.length][];
            for (int c = 0; c < facets.length; c++) {
                facets[c] = s.facets[c] == null ? null : s.facets[c].clone();
            }
            hosts = s.hosts.clone();
            exposures = s.exposures.clone();
            states = s.states.clone();
            urgencyStates = new int[s.urgencyStates.length][];
            for (int c = 0; c < urgencyStates.length; c++) {
                urgencyStates[c] = s.urgencyStates[c] == null ? null : s.urgencyStates[c].clone();
            }
            oldest = s.oldest.clone();
            atOldest = s.atOldest.clone();
            firstSource = s.firstSource.clone();
            firstSourceCount = s.firstSourceCount.clone();
            otherSources = new HashMap<>(s.otherSources);
        }
    }

    /** The doc values a pass over a segment reads, fresh (they are read forward only). */
    private record Values(SortedSetDocValues cves, SortedDocValues hosts, SortedDocValues states, SortedDocValues urgencies,
            SortedDocValues sources, SortedDocValues sinces, SortedDocValues scopes, SortedDocValues releases, SortedSetDocValues groups) {
        static Values of(LeafReader reader) throws IOException {
            return new Values(cves(reader), DocValues.getSorted(reader, IndexField.HOST.word()),
                    DocValues.getSorted(reader, IndexField.CVE_STATE.word()), DocValues.getSorted(reader, IndexField.URGENCY.word()),
                    DocValues.getSorted(reader, IndexField.SOURCE.word()), DocValues.getSorted(reader, IndexField.SINCE.word()),
                    DocValues.getSorted(reader, IndexField.SCOPE.word()), DocValues.getSorted(reader, IndexField.RELEASE.word()),
                    DocValues.getSortedSet(reader, GROUP_FIELD));
        }

        /**
         * A segment's CVE field alone, to look CVEs up in: a CVE's page looks its CVE up in every
         * segment and needs no other doc values of most of them.
         */
        static SortedSetDocValues cves(LeafReader reader) throws IOException {
            return DocValues.getSortedSet(reader, CVE_FIELD);
        }

        /** The ordinal of a CVE in a segment's CVE field, or a negative number when no document of it names it. */
        static long cve(SortedSetDocValues cves, String id) throws IOException {
            return cves.lookupTerm(Schema.facetPath(IndexField.CVE.word(), id));
        }

        static int ord(SortedDocValues values, int doc) throws IOException {
            return values.advanceExact(doc) ? values.ordValue() : -1;
        }
    }

    @Override
    public Segment count(LeafReaderContext segment, DocIdSetIterator docs) throws IOException {
        Values v = Values.of(segment.reader());
        Segment s = new Segment((int) v.cves().getValueCount(), Math.max(1, v.states().getValueCount()), v.scopes().getValueCount(),
                v.releases().getValueCount());
        add(s, v, docs, 1);
        return s;
    }

    @Override
    public Segment without(Segment counted, LeafReaderContext segment, DocIdSetIterator docs, BitSet left) throws IOException {
        Values v = Values.of(segment.reader());
        Segment s = new Segment(counted);
        java.util.BitSet oldestGone = add(s, v, docs, -1);
        // The CVEs whose oldest "since" went: their oldest among the documents left, read from
        // their own postings (a few hosts' documents each), not from the whole segment.
        for (int c = oldestGone.nextSetBit(0); c >= 0; c = oldestGone.nextSetBit(c + 1)) {
            oldestLeft(s, c, segment.reader(), v.cves().lookupOrd(c), left);
        }
        return s;
    }

    /**
     * Counts these documents in ({@code by} 1) or out ({@code by} -1: each was counted in).
     *
     * @return the CVEs none of whose documents left has the oldest "since" they had
     */
    private static java.util.BitSet add(Segment s, Values v, DocIdSetIterator docs, int by) throws IOException {
        int urgencyStates = Math.max(1, v.urgencies().getValueCount()) * s.stateValues;
        int[] lastHost = new int[s.hosts.length];
        Arrays.fill(lastHost, -1); // (a document without a host counts none)
        java.util.BitSet oldestGone = new java.util.BitSet();
        int facetValues = s.scopeValues + s.releaseValues + (int) v.groups().getValueCount();
        int[] groups = new int[4];
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
            if (!v.cves().advanceExact(doc)) {
                continue; // not a CVE document
            }
            int host = Values.ord(v.hosts(), doc);
            int state = Values.ord(v.states(), doc);
            int urgency = Values.ord(v.urgencies(), doc);
            int source = Values.ord(v.sources(), doc);
            int since = Values.ord(v.sinces(), doc);
            int scope = Values.ord(v.scopes(), doc);
            int release = Values.ord(v.releases(), doc);
            int inGroups = v.groups().advanceExact(doc) ? v.groups().docValueCount() : 0;
            if (inGroups > groups.length) {
                groups = new int[inGroups];
            }
            for (int g = 0; g < inGroups; g++) {
                groups[g] = (int) v.groups().nextOrd();
            }
            for (int i = 0, n = v.cves().docValueCount(); i < n; i++) {
                int c = (int) v.cves().nextOrd();
                s.exposures[c] += by;
                int[] f = s.facets[c] == null ? (s.facets[c] = new int[facetValues]) : s.facets[c];
                if (scope >= 0) {
                    f[scope] += by;
                }
                if (release >= 0) {
                    f[s.scopeValues + release] += by;
                }
                for (int g = 0; g < inGroups; g++) {
                    f[s.scopeValues + s.releaseValues + groups[g]] += by;
                }
                if (lastHost[c] != host) { // a host's documents come, and go, together (see above)
                    lastHost[c] = host;
                    s.hosts[c] += by;
                }
                if (state >= 0) {
                    s.states[c * s.stateValues + state] += by;
                    if (urgency >= 0) {
                        if (s.urgencyStates[c] == null) {
                            s.urgencyStates[c] = new int[urgencyStates];
                        }
                        s.urgencyStates[c][urgency * s.stateValues + state] += by;
                    }
                }
                if (since >= 0 && by > 0 && since < s.oldest[c]) {
                    s.oldest[c] = since;
                    s.atOldest[c] = 1;
                } else if (since >= 0 && since == s.oldest[c] && (s.atOldest[c] += by) == 0) {
                    oldestGone.set(c);
                }
                if (source >= 0) {
                    if (s.firstSource[c] < 0 || s.firstSource[c] == source) {
                        s.firstSource[c] = source;
                        s.firstSourceCount[c] += by;
                    } else {
                        s.otherSources.merge(((long) c << 32) | source, (long) by, (x, y) -> x + y == 0 ? null : x + y);
                    }
                }
            }
        }
        return oldestGone;
    }

    /** Finds CVE {@code c}'s oldest "since" among the documents still counted. */
    private static void oldestLeft(Segment s, int c, LeafReader reader, org.apache.lucene.util.BytesRef facetValue, Bits left)
            throws IOException {
        s.oldest[c] = Integer.MAX_VALUE;
        s.atOldest[c] = 0;
        if (s.exposures[c] == 0) {
            return;
        }
        PostingsEnum docs = reader.postings(new Term(IndexField.CVE.word(), Schema.facetValue(facetValue)), PostingsEnum.NONE);
        if (docs == null) {
            return;
        }
        SortedDocValues sinces = DocValues.getSorted(reader, IndexField.SINCE.word());
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
            if (!left.get(doc)) {
                continue; // deleted, not matched, or an advisory's or package's document naming the CVE
            }
            int since = Values.ord(sinces, doc);
            if (since >= 0 && since < s.oldest[c]) {
                s.oldest[c] = since;
                s.atOldest[c] = 1;
            } else if (since >= 0 && since == s.oldest[c]) {
                s.atOldest[c]++;
            }
        }
    }

    /** A segment's ordinals of the tallied fields turned into their values (decoded once per segment). */
    private static final class Names {
        private final Values values;
        private final OrdinalNames.Field cves;
        private final OrdinalNames.Field states;
        private final OrdinalNames.Field urgencies;
        private final OrdinalNames.Field sources;
        private final OrdinalNames.Field sinces;

        Names(LeafReader reader, Values v, OrdinalNames names) {
            this.values = v;
            cves = names.of(reader, CVE_FIELD, v.cves().getValueCount());
            states = names.of(reader, IndexField.CVE_STATE.word(), v.states().getValueCount());
            urgencies = names.of(reader, IndexField.URGENCY.word(), v.urgencies().getValueCount());
            sources = names.of(reader, IndexField.SOURCE.word(), v.sources().getValueCount());
            sinces = names.of(reader, IndexField.SINCE.word(), v.sinces().getValueCount());
        }

        String cve(int ord) throws IOException {
            return cves.get(ord, o -> Schema.facetValue(values.cves().lookupOrd(o)));
        }

        String state(int ord) throws IOException {
            return states.get(ord, o -> values.states().lookupOrd((int) o).utf8ToString());
        }

        String urgency(int ord) throws IOException {
            return urgencies.get(ord, o -> values.urgencies().lookupOrd((int) o).utf8ToString());
        }

        String source(int ord) throws IOException {
            return sources.get(ord, o -> values.sources().lookupOrd((int) o).utf8ToString());
        }

        String since(int ord) throws IOException {
            return sinces.get(ord, o -> values.sinces().lookupOrd((int) o).utf8ToString());
        }
    }

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

    /** The tallies by CVE id, from each segment's counts, its ordinals turned into values. */
    static Map<String, CveTally> tallies(List<LeafReaderContext> segments, List<Segment> counts) throws IOException {
        return merge(segments, counts, new OrdinalNames(), null).tallies();
    }

    /**
     * A question's tallies for one reader, with what they were merged from: each segment's
     * counts by segment core, and the CVE ids of their ordinals (those counted in).
     */
    static final class Merged {
        private final Map<Object, Part> parts;
        private final java.util.SortedMap<String, CveTally> tallies;
        private final int mergedAnew;

        private Merged(Map<Object, Part> parts, java.util.SortedMap<String, CveTally> tallies, int mergedAnew) {
            this.parts = parts;
            this.tallies = java.util.Collections.unmodifiableSortedMap(tallies);
            this.mergedAnew = mergedAnew;
        }

        /** How many CVEs were merged anew from the segments' counts (every one, when nothing was kept). */
        int mergedAnew() {
            return mergedAnew;
        }

        /** By CVE id, in the order of the ids. */
        java.util.SortedMap<String, CveTally> tallies() {
            return tallies;
        }
    }

    /** A segment's counts, and the CVE id of each ordinal counted in (null where none is). */
    private record Part(Segment counts, String[] cves) {
    }

    /**
     * The tallies by CVE id from each segment's counts, merged anew only for the CVEs whose
     * counts changed since {@code before} (the same question's tallies for an earlier reader; null:
     * none): the counts of segments gone, come or with documents deleted. A push changes a few
     * hundred CVEs of the thousands the fleet is open to; a merge of big segments changes most,
     * and then every CVE is merged anew.
     */
    static Merged merge(List<LeafReaderContext> segments, List<Segment> counts, OrdinalNames names, Merged before) throws IOException {
        Map<Object, Part> parts = new HashMap<>();
        Set<String> changed = new java.util.HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            LeafReader reader = segments.get(i).reader();
            Object core = reader.getCoreCacheHelper() == null ? new Object() : reader.getCoreCacheHelper().getKey();
            Segment s = counts.get(i);
            Part was = before == null ? null : before.parts.get(core);
            if (was != null && was.counts() == s) {
                parts.put(core, was);
                continue;
            }
            Names named = new Names(reader, Values.of(reader), names);
            String[] cves = new String[s.exposures.length];
            for (int c = 0; c < cves.length; c++) {
                boolean now = s.exposures[c] != 0;
                if (now) {
                    cves[c] = was != null && was.cves()[c] != null ? was.cves()[c] : named.cve(c);
                }
                if (was == null ? now : differs(was.counts(), s, c)) {
                    changed.add(now ? cves[c] : was.cves()[c]);
                }
            }
            if (was != null && !was.counts().otherSources.equals(s.otherSources)) {
                for (Map<Long, Long> one : List.of(was.counts().otherSources, s.otherSources)) {
                    for (long key : one.keySet()) {
                        int c = (int) (key >>> 32);
                        if (!java.util.Objects.equals(was.counts().otherSources.get(key), s.otherSources.get(key))) {
                            changed.add(cves[c] != null ? cves[c] : was.cves()[c]);
                        }
                    }
                }
            }
            parts.put(core, new Part(s, cves));
        }
        if (before != null) {
            before.parts.forEach((core, gone) -> {
                if (!parts.containsKey(core)) {
                    for (String cve : gone.cves()) {
                        if (cve != null) {
                            changed.add(cve);
                        }
                    }
                }
            });
        }
        java.util.SortedMap<String, CveTally> out;
        int mergedAnew;
        if (before == null || changed.size() > before.tallies.size() / 4) {
            out = new java.util.TreeMap<>();
            for (Map.Entry<String, Builder> e : builders(segments, counts, names, null).entrySet()) {
                out.put(e.getKey(), e.getValue().build(e.getKey()));
            }
            mergedAnew = out.size();
        } else {
            out = new java.util.TreeMap<>(before.tallies);
            Map<String, Builder> merged = builders(segments, counts, names, changed);
            for (String cve : changed) {
                Builder b = merged.get(cve);
                if (b == null) {
                    out.remove(cve);
                } else {
                    out.put(cve, b.build(cve));
                }
            }
            mergedAnew = changed.size();
        }
        return new Merged(parts, out, mergedAnew);
    }

    /** Whether CVE ordinal {@code c} of one segment is counted differently (its sources after the first aside). */
    private static boolean differs(Segment a, Segment b, int c) {
        if (a.hosts[c] != b.hosts[c] || a.exposures[c] != b.exposures[c] || a.oldest[c] != b.oldest[c] || a.atOldest[c] != b.atOldest[c]
                || a.firstSource[c] != b.firstSource[c] || a.firstSourceCount[c] != b.firstSourceCount[c]
                || !Arrays.equals(a.urgencyStates[c], b.urgencyStates[c]) || !Arrays.equals(a.facets[c], b.facets[c])) {
            return true;
        }
        return !Arrays.equals(a.states, c * a.stateValues, (c + 1) * a.stateValues, b.states, c * b.stateValues, (c + 1) * b.stateValues);
    }

    /**
     * The counts of CVEs over all segments, by id: of every CVE counted in ({@code only} null), or
     * of those ids alone, each looked up in each segment's ordinals.
     */
    private static Map<String, Builder> builders(List<LeafReaderContext> segments, List<Segment> counts, OrdinalNames names,
            Set<String> only) throws IOException {
        Map<String, Builder> tallies = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = counts.get(i);
            Map<Integer, String> wanted = only == null ? null : new HashMap<>();
            SortedSetDocValues ids = only == null ? null : Values.cves(segments.get(i).reader());
            for (String cve : only == null ? Set.<String>of() : only) {
                long c = Values.cve(ids, cve);
                if (c >= 0 && s.exposures[(int) c] != 0) {
                    wanted.put((int) c, cve);
                }
            }
            if (wanted != null && wanted.isEmpty()) {
                continue; // none of them in this segment
            }
            Values v = Values.of(segments.get(i).reader());
            Names named = new Names(segments.get(i).reader(), v, names);
            Map<Integer, Map<Integer, Long>> more = new HashMap<>();
            s.otherSources.forEach((k, n) -> {
                int c = (int) (k >>> 32);
                if (wanted == null || wanted.containsKey(c)) {
                    more.computeIfAbsent(c, x -> new HashMap<>()).put((int) (k & 0xffffffffL), n);
                }
            });
            if (wanted == null) {
                for (int c = 0; c < s.exposures.length; c++) {
                    if (s.exposures[c] != 0) {
                        add(tallies.computeIfAbsent(named.cve(c), k -> new Builder()), s, c, named, more.getOrDefault(c, Map.of()));
                    }
                }
            } else {
                for (Map.Entry<Integer, String> w : wanted.entrySet()) {
                    add(tallies.computeIfAbsent(w.getValue(), k -> new Builder()), s, w.getKey(), named, more.getOrDefault(w.getKey(), Map.of()));
                }
            }
        }
        return tallies;
    }

    /**
     * One CVE's tally, as {@link #tallies} would give it, from the counts of any question that
     * counts all of its documents: its ordinal is looked up in each segment, and only it merged.
     */
    static java.util.Optional<CveTally> tally(List<LeafReaderContext> segments, List<Segment> counts, String cve, OrdinalNames names)
            throws IOException {
        Builder b = builders(segments, counts, names, Set.of(cve)).get(cve);
        return b == null ? java.util.Optional.empty() : java.util.Optional.of(b.build(cve));
    }

    /**
     * The CVE whose host documents a question asks for and nothing else ({@code type:cve cve:X},
     * a CVE's page's hosts list): its facets but the hosts can be read off the tallies of every
     * CVE document ({@link #facets}).
     */
    static java.util.Optional<String> hostsOf(SearchQuery q) {
        return q.type().equals("cve") ? q.onlyIs(IndexField.CVE) : java.util.Optional.empty();
    }

    /** The dimensions of a CVE's hosts list ({@link Schema#FACETS_BY_TYPE}) whose counts the tallies hold. */
    static final List<String> FACETS = List.of(IndexField.CVE_STATE.word(), IndexField.URGENCY.word(), IndexField.SCOPE.word(),
            IndexField.RELEASE.word(), IndexField.SOURCE.word(), IndexField.GROUP.word());

    /**
     * Every value's count of each of {@link #FACETS} over one CVE's host documents, from the
     * counts of any question that counts all of them: what a faceted search for that CVE's
     * documents would count, its ordinal merged from each segment instead of every hit read.
     * Empty values are left out, as facets leave them out.
     */
    static Map<String, Map<String, Long>> facets(List<LeafReaderContext> segments, List<Segment> counts, String cve) throws IOException {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String dim : FACETS) {
            out.put(dim, new HashMap<>());
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = counts.get(i);
            long ord = Values.cve(Values.cves(segments.get(i).reader()), cve);
            if (ord < 0 || s.exposures[(int) ord] == 0) {
                continue;
            }
            Values v = Values.of(segments.get(i).reader());
            int c = (int) ord;
            for (int st = 0; st < s.stateValues; st++) {
                facet(out, IndexField.CVE_STATE, v.states(), st, s.states[c * s.stateValues + st]);
            }
            int[] us = s.urgencyStates[c];
            for (int bit = 0; us != null && bit < us.length; bit++) {
                facet(out, IndexField.URGENCY, v.urgencies(), bit / s.stateValues, us[bit]);
            }
            int[] f = s.facets[c];
            for (int k = 0; f != null && k < f.length; k++) {
                if (k < s.scopeValues) {
                    facet(out, IndexField.SCOPE, v.scopes(), k, f[k]);
                } else if (k < s.scopeValues + s.releaseValues) {
                    facet(out, IndexField.RELEASE, v.releases(), k - s.scopeValues, f[k]);
                } else if (f[k] > 0) {
                    String group = Schema.facetValue(v.groups().lookupOrd(k - s.scopeValues - s.releaseValues));
                    out.get(IndexField.GROUP.word()).merge(group, (long) f[k], Long::sum);
                }
            }
            if (s.firstSource[c] >= 0) {
                facet(out, IndexField.SOURCE, v.sources(), s.firstSource[c], s.firstSourceCount[c]);
            }
            for (Map.Entry<Long, Long> e : s.otherSources.entrySet()) {
                if ((int) (e.getKey() >>> 32) == c) {
                    facet(out, IndexField.SOURCE, v.sources(), (int) (e.getKey() & 0xffffffffL), e.getValue());
                }
            }
        }
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    private static void facet(Map<String, Map<String, Long>> out, IndexField dim, SortedDocValues values, int ord, long n) throws IOException {
        if (n > 0) {
            String value = values.lookupOrd(ord).utf8ToString();
            if (!value.isEmpty()) {
                out.get(dim.word()).merge(value, n, Long::sum);
            }
        }
    }

    /** Adds a segment's counts of CVE ordinal {@code c} ({@code more}: its documents by any source after the first). */
    private static void add(Builder b, Segment s, int c, Names named, Map<Integer, Long> more) throws IOException {
        b.hosts += s.hosts[c];
        b.exposures += s.exposures[c];
        for (int st = 0; st < s.stateValues; st++) {
            long n = s.states[c * s.stateValues + st];
            if (n > 0) {
                b.states.merge(named.state(st), n, Long::sum);
            }
        }
        int[] us = s.urgencyStates[c];
        for (int bit = 0; us != null && bit < us.length; bit++) {
            if (us[bit] > 0) {
                b.statesByUrgency.computeIfAbsent(named.urgency(bit / s.stateValues), k -> new TreeSet<>())
                        .add(named.state(bit % s.stateValues));
            }
        }
        if (s.oldest[c] != Integer.MAX_VALUE) {
            String since = named.since(s.oldest[c]);
            if (b.oldestSince == null || since.compareTo(b.oldestSince) < 0) {
                b.oldestSince = since;
            }
        }
        if (s.firstSourceCount[c] > 0) {
            b.sources.merge(named.source(s.firstSource[c]), s.firstSourceCount[c], Long::sum);
        }
        for (Map.Entry<Integer, Long> e : more.entrySet()) {
            b.sources.merge(named.source(e.getKey()), e.getValue(), Long::sum);
        }
    }
}
