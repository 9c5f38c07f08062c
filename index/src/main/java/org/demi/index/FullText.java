package org.demi.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * The full text a document is found by when a search names bare words: its words as Lucene's
 * standard analyser makes them (its tokenizer, lower-cased), each once. A search asks only
 * whether a document holds every word (no phrase, no score: lists are sorted by their columns), so
 * the field holds which documents have a term and nothing else: no frequencies, no positions, no
 * norms. (Measured at 10,000 and 100,000 hosts, this saved no more than the runs' noise: most of a
 * term's cost is the index writer's hashing of it, which every field pays.)
 *
 * <p>The same text comes back on host after host (a package's name and description, a CVE's
 * source and binaries), so each text is analysed once and its terms are handed to the index
 * writer as they are, instead of tokenizing it again for every installation.
 */
final class FullText extends Field {
    /** How the index's words and a search's words are both made. */
    static final Analyzer ANALYZER = new StandardAnalyzer();

    private static final FieldType TYPE = type();

    private static FieldType type() {
        FieldType t = new FieldType();
        t.setIndexOptions(IndexOptions.DOCS);
        t.setOmitNorms(true);
        t.setTokenized(true);
        t.setStored(false);
        t.freeze();
        return t;
    }

    /**
     * The terms of texts analysed before, by text. Cleared when it holds {@link #KEPT} texts: a
     * fleet has a few thousand distinct package texts, and CVE texts come and go with the tracker.
     */
    private static final Map<String, BytesRef[]> TERMS = new ConcurrentHashMap<>();
    private static final int KEPT = 1 << 15;

    FullText(String text) {
        super(Schema.TEXT, text, TYPE);
    }

    /** The distinct terms the analyser makes of {@code text}, in the order they first come. */
    static BytesRef[] termsOf(String text) {
        BytesRef[] known = TERMS.get(text);
        if (known != null) {
            return known;
        }
        Set<BytesRef> terms = new LinkedHashSet<>();
        try (TokenStream stream = ANALYZER.tokenStream(Schema.TEXT, text)) {
            TermToBytesRefAttribute term = stream.addAttribute(TermToBytesRefAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(BytesRef.deepCopyOf(term.getBytesRef()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing text held in memory", e); // a string reader does not fail
        }
        BytesRef[] made = terms.toArray(BytesRef[]::new);
        if (TERMS.size() >= KEPT) {
            TERMS.clear();
        }
        TERMS.put(text, made);
        return made;
    }

    /** The text's terms, found when the index writer asks (Solr, sent the text itself, never does). */
    @Override
    public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
        Terms stream = reuse instanceof Terms t ? t : new Terms();
        stream.terms = termsOf(stringValue());
        return stream;
    }

    /** A text's terms as a token stream, one after another; the index writer reads nothing else of a token. */
    private static final class Terms extends TokenStream {
        private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        private BytesRef[] terms;
        private int next;

        @Override
        public boolean incrementToken() {
            if (next == terms.length) {
                return false;
            }
            clearAttributes();
            term.setBytesRef(terms[next++]);
            return true;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            next = 0;
        }
    }
}
