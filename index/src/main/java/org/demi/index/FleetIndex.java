package org.demi.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.evaluation.Verdict;

/**
 * The index of the fleet: one document per host, per installed package (host × package, with
 * every field of its evaluation), per CVE a host is open to (per source) and per advisory,
 * searched with {@link SearchQuery}.
 *
 * <p>Two back ends hold it: Lucene in the server's data directory ({@link #open}, the default),
 * and a SolrCloud collection shared by several servers ({@link #solr}). Both give the same
 * answers to the same questions: totals, rows in the same order, facets.
 *
 * <p>A host's documents are replaced together, so a search sees all of a host's old documents or
 * all of its new ones, never a mix; {@link #refresh()} makes changes searchable and {@link
 * #commit()} durable.
 */
public interface FleetIndex extends Closeable {
    /** What a search returns: the page asked for, the total, and the counts per facet value. */
    record Result(long total, List<Row> rows, Map<String, Map<String, Long>> facets) {
    }

    /**
     * What a host's indexed documents were made from: its inventory's checksum, the verdict it
     * had, and the groups it was declared in (every document of the host carries them); the
     * digest of the documents themselves ({@link IndexField#DIGEST}, empty when written before
     * Demi kept one); and when the host was last seen as the index holds it (to the millisecond),
     * which changes in place ({@link #seen}).
     */
    record Indexed(String checksum, Verdict verdict, List<String> groups, String digest, Optional<Instant> lastSeen) {
        public Indexed {
            groups = List.copyOf(groups);
            lastSeen = lastSeen.map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }

        /** What a host document's row says its documents were made from (nothing when its verdict is not one Demi knows). */
        static Optional<Indexed> of(Row host) {
            for (Verdict v : Verdict.values()) {
                if (v.word().equals(host.get(IndexField.VERDICT))) {
                    String seen = host.get(IndexField.LAST_SEEN);
                    return Optional.of(new Indexed(host.get(IndexField.CHECKSUM), v, host.all(IndexField.GROUP),
                            host.get(IndexField.DIGEST), seen.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(seen))));
                }
            }
            return Optional.empty();
        }

        /** What the index holds once {@code host}'s documents, of this digest, are written. */
        static Indexed of(IndexedHost host, String digest) {
            return new Indexed(host.checksum(), host.verdict(), host.groups(), digest, host.lastSeen());
        }

        /** The same documents, the host seen at {@code when}. */
        public Indexed seen(Instant when) {
            return new Indexed(checksum, verdict, groups, digest, Optional.of(when));
        }

        /**
         * Whether the host's documents would be {@code now}'s but for when it was last seen, so that
         * only that is changed, in place: the same inventory, verdict and groups, the same digest
         * (not the empty one of documents from before digests), and a time to set ({@code now}'s).
         */
        boolean sameDocuments(Indexed now) {
            return !digest.isEmpty() && digest.equals(now.digest) && checksum.equals(now.checksum) && verdict == now.verdict
                    && groups.equals(now.groups) && now.lastSeen.isPresent();
        }
    }

    /** The Lucene index in {@code dir}, for writing (one writer at a time). */
    static FleetIndex open(Path dir) throws IOException {
        return LuceneIndex.open(dir);
    }

    /**
     * The last committed state of the Lucene index in {@code dir}, for searching only, beside a
     * server that may be writing (Lucene allows one writer and any number of readers).
     *
     * @throws org.apache.lucene.index.IndexNotFoundException when there is no index yet
     */
    static FleetIndex openReadOnly(Path dir) throws IOException {
        return LuceneIndex.openReadOnly(dir);
    }

    /**
     * The collection {@code collection} of the SolrCloud whose ZooKeeper ensemble and chroot
     * {@code zk} names ({@code HOST:PORT[,HOST:PORT...]/CHROOT}), created with Demi's schema if
     * it does not exist yet. Several servers share it, each writing the hosts it collects as
     * its {@code part} (a name of its own): searches see every part; {@link #indexedHosts()} and
     * {@link #clear()} are about this server's part alone.
     */
    static FleetIndex solr(String zk, String collection, String part) throws IOException {
        return SolrIndex.open(zk, collection, part);
    }

    /** Replaces all of the host's documents with those of this evaluation, atomically. */
    default void replaceHost(IndexedHost host) throws IOException {
        replaceHost(host, java.util.Optional.empty());
    }

    /**
     * Replaces all of the host's documents with those of this evaluation, atomically, unless
     * {@code was} (what {@link #indexedHosts()} or an earlier call said the index holds of the
     * host) has the very same documents: a host judged again by new advisories or another day
     * usually comes out as it was, and rewriting it would cost most of what judging the fleet
     * costs; when only the time it was last seen differs, that alone is changed ({@link #seen}).
     * Returns what the index holds of the host now: {@code was} itself when nothing was written.
     */
    Indexed replaceHost(IndexedHost host, java.util.Optional<Indexed> was) throws IOException;

    /**
     * Sets when an indexed host was last seen (its {@link IndexField#LAST_SEEN}), in place: a
     * push or collection that finds the host unchanged changes this alone, and its hundreds of
     * documents are not written again. Searchable after the next {@link #refresh()}.
     */
    void seen(String host, Instant when) throws IOException;

    void removeHost(String host) throws IOException;

    /** Replaces the advisory documents with these. */
    void replaceAdvisories(Collection<Advisory> advisories) throws IOException;

    /** Removes everything this server wrote (before a rebuild). */
    void clear() throws IOException;

    /** Makes the changes so far visible to searches. */
    void refresh() throws IOException;

    /** Makes the changes so far durable. */
    void commit() throws IOException;

    /**
     * The fingerprint of what every host in the index was judged by (an evaluator's inputs), as
     * {@link #judgedBy(Optional)} set it and the last commit kept it; empty when unknown. An index
     * that does not keep it always answers empty, and its hosts are judged again at every start.
     */
    default Optional<String> judgedBy() throws IOException {
        return Optional.empty();
    }

    /** Sets (or, empty, forgets) what every host in the index was judged by; durable with the next commit. */
    default void judgedBy(Optional<String> inputs) throws IOException {
    }

    /**
     * The version of what searches see now: it changes with each refresh that made a change
     * visible, so an answer computed at one version holds for as long as the version does.
     */
    long version() throws IOException;

    /** @param facetValues how many values of each facet to count, most frequent first (0: no facets) */
    Result search(SearchQuery q, int offset, int limit, int facetValues) throws IOException;

    default Result search(SearchQuery q, int offset, int limit) throws IOException {
        return search(q, offset, limit, 10);
    }

    /**
     * The page asked for and the total, without counting any facet: for a table that shows none
     * (a host's CVEs, a CVE's packages), where counting every facet of every hit would be the
     * most of the work.
     */
    default Result hits(SearchQuery q, int offset, int limit) throws IOException {
        return search(q, offset, limit, 0);
    }

    /** Every document searches see now: hosts, their packages and CVEs, advisories (for /metrics). */
    long documents() throws IOException;

    /** The bytes the index takes on this server's disk; empty when it is kept elsewhere (a SolrCloud). */
    default java.util.OptionalLong bytesOnDisk() throws IOException {
        return java.util.OptionalLong.empty();
    }

    /** How many documents match, without collecting, sorting or counting facets. */
    long count(SearchQuery q) throws IOException;

    /** The sum of a number field over the documents that match. */
    long sum(SearchQuery q, IndexField field) throws IOException;

    /**
     * Every CVE the host CVE documents matching {@code q} name, by id, with its hosts, states,
     * urgencies, sources and oldest "since" (see {@link CveTally}).
     */
    Map<String, CveTally> cveTallies(SearchQuery q) throws IOException;

    /** One CVE's tally over every host CVE document, as {@link #cveTallies} gives it; empty when no host is open to it. */
    default Optional<CveTally> cveTally(String cve) throws IOException {
        return Optional.ofNullable(cveTallies(SearchQuery.builder("cve").is(IndexField.CVE, cve).build()).get(cve));
    }

    /**
     * Counts ahead, for what searches see now, what pages would otherwise count on their first
     * asking after every host was judged; nothing by default.
     */
    default void warm() throws IOException {
    }

    /** The open CVEs' figures for what searches see now (see {@link OpenCves}). */
    OpenCves openCves() throws IOException;

    /** For each indexed host, what its documents were made from. */
    default Map<String, Indexed> indexedHosts() throws IOException {
        Result r = search(SearchQuery.builder("host").build(), 0, Integer.MAX_VALUE - 1, 0);
        Map<String, Indexed> out = new LinkedHashMap<>();
        for (Row row : r.rows()) {
            Indexed.of(row).ifPresent(i -> out.put(row.get(IndexField.HOST), i));
        }
        return out;
    }
}
