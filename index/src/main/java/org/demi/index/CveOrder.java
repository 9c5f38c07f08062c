package org.demi.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Sort;
import org.apache.lucene.util.BytesRef;

/**
 * The CVE lists' usual order held as one key per document, so that ranking a page reads one
 * value per hit instead of one per sort field.
 *
 * <p>The CVE lists (a CVE's hosts, a host's CVEs) are worst first: by state, urgency, since when,
 * then host. Most of a common CVE's hosts tie on the state and the urgency, so ranking its first
 * page compared three or four doc values for each of its hits, and that was half of what a CVE's
 * page cost the server (a profile at 10,000 hosts). The key is those four values in a row, each
 * ending where the next begins, so that comparing two keys' bytes compares the four fields in
 * turn, exactly as the sort does.
 *
 * <p>Lucene's alone ({@code $}, as the facet fields): Solr sorts by the four fields themselves.
 * An index written by a Demi before the key holds documents without it until the start after the
 * upgrade has written every host again (at 100,000 hosts, most of an hour); until then the order is
 * ranked by the four fields, as before.
 */
final class CveOrder {
    private CveOrder() {
    }

    /** A host's CVE document's place in the CVE lists' usual order. */
    static final String FIELD = "$order.cve";

    /** The usual order the key stands for: a CVE list's when its query names none. */
    private static final Sort CVE_LISTS = SearchQuery.builder("cve").build().sort();
    /** That order, by the key: a keyword's sort, as the fields' own. */
    static final Sort BY_KEY = new Sort(SearchQuery.text(FIELD, false));

    /**
     * The key of a host's CVE document: the state's word, then a zero byte (it sorts before any
     * character, so a word that begins another sorts first, as alone); the urgency's rank in one
     * byte; since when, then a zero byte; the host.
     */
    static BytesRef key(String state, int urgencyRank, String since, String host) {
        if (urgencyRank < 0 || urgencyRank > 255) {
            throw new IllegalArgumentException("an urgency's rank must fit in a byte, not " + urgencyRank);
        }
        byte[] s = state.getBytes(StandardCharsets.UTF_8);
        byte[] w = since.getBytes(StandardCharsets.UTF_8);
        byte[] h = host.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[s.length + 1 + 1 + w.length + 1 + h.length];
        System.arraycopy(s, 0, key, 0, s.length);
        int at = s.length + 1;
        key[at++] = (byte) urgencyRank;
        System.arraycopy(w, 0, key, at, w.length);
        at += w.length + 1;
        System.arraycopy(h, 0, key, at, h.length);
        return new BytesRef(key);
    }

    /** Whether the key stands for {@code sort}. */
    static boolean standsFor(Sort sort) {
        return sort.equals(CVE_LISTS);
    }

    /**
     * Whether every host CVE document of {@code reader} holds the key: in each segment, as many
     * documents hold it as are of that type (deleted ones counted in both).
     */
    static boolean heldByEvery(IndexReader reader) throws IOException {
        Term cve = new Term(Schema.TYPE, "cve");
        for (LeafReaderContext leaf : reader.leaves()) {
            int documents = leaf.reader().docFreq(cve);
            if (documents == 0) {
                continue;
            }
            SortedDocValues keys = leaf.reader().getSortedDocValues(FIELD);
            if (keys == null || keys.cost() != documents) {
                return false;
            }
        }
        return true;
    }
}
