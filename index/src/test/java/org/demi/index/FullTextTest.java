package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full text: the standard analyser's words, each once, indexed as terms alone. */
class FullTextTest {
    @TempDir
    Path tmp;

    /** The words a fresh standard analyser makes of {@code text}, each once, in order: what a search's words are made by. */
    private static List<String> analysed(String text) throws Exception {
        Set<String> words = new LinkedHashSet<>();
        try (StandardAnalyzer analyzer = new StandardAnalyzer(); TokenStream s = analyzer.tokenStream("any", text)) {
            CharTermAttribute term = s.addAttribute(CharTermAttribute.class);
            s.reset();
            while (s.incrementToken()) {
                words.add(term.toString());
            }
            s.end();
        }
        return List.copyOf(words);
    }

    private static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        for (BytesRef b : FullText.termsOf(text)) {
            out.add(b.utf8ToString());
        }
        return out;
    }

    @Test
    void aTextsTermsAreTheStandardAnalysersWordsEachOnce() throws Exception {
        // Lower-cased, split at blanks and punctuation but not inside a version, repeated words once.
        assertThat(terms("openssl OpenSSL Secure Sockets Layer toolkit - cryptographic utility"))
                .containsExactly("openssl", "secure", "sockets", "layer", "toolkit", "cryptographic", "utility");
        assertThat(terms("CVE-2023-0286 openssl libssl3 libssl-dev 1.1.1n-0+deb11u4")).isEqualTo(analysed(
                "CVE-2023-0286 openssl libssl3 libssl-dev 1.1.1n-0+deb11u4"));
        // Words beyond ASCII, and a text with no word at all.
        assertThat(terms("Übersetzungen für Debian — paquets")).isEqualTo(analysed("Übersetzungen für Debian — paquets"))
                .contains("übersetzungen");
        assertThat(terms(" - ")).isEmpty();
        // A text asked for again is answered as the first time.
        assertThat(terms("openssl OpenSSL Secure Sockets Layer toolkit - cryptographic utility"))
                .containsExactly("openssl", "secure", "sockets", "layer", "toolkit", "cryptographic", "utility");
    }

    @Test
    void theIndexHoldsWhichDocumentsHaveAWordAndNothingMore() throws Exception {
        HostEvaluation e = MinbaseHost.evaluate("min1", CveTalliesTest.TRACKER);
        try (FleetIndex index = FleetIndex.open(tmp.resolve("index"))) {
            index.replaceHost(host(e));
            index.refresh();
            // bash's description, "GNU Bourne Again SHell": every word must be there, in any case and order.
            assertThat(index.search(SearchQuery.parse("shell BOURNE"), 0, 10).rows()).extracting(r -> r.get(IndexField.PACKAGE))
                    .containsExactly("bash");
            assertThat(index.search(SearchQuery.parse("shell nosuchword"), 0, 10).total()).isZero();
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(tmp.resolve("index")))) {
            FieldInfo words = FieldInfos.getMergedFieldInfos(reader).fieldInfo(Schema.TEXT);
            assertThat(words.getIndexOptions()).isEqualTo(IndexOptions.DOCS);
            assertThat(words.hasNorms()).isFalse();
        }
    }

    /**
     * An index written before the full text held terms alone has a field "text" with positions
     * and norms; Lucene refuses documents that index a field of the same name otherwise, so the
     * field is named anew and such an index takes the new documents.
     */
    @Test
    void anIndexWrittenWhenTheFullTextHadPositionsTakesTheNewDocuments() throws Exception {
        IndexWriterConfig before = new IndexWriterConfig(new StandardAnalyzer());
        before.setCodec(new RowCodec());
        try (IndexWriter old = new IndexWriter(FSDirectory.open(tmp.resolve("index")), before)) {
            Document d = new Document();
            d.add(new TextField("text", "GNU Bourne Again SHell", Field.Store.NO));
            old.addDocument(d);
        }
        assertThat(Schema.TEXT).isNotEqualTo("text");
        try (FleetIndex index = FleetIndex.open(tmp.resolve("index"))) {
            index.replaceHost(host(MinbaseHost.evaluate("min1", CveTalliesTest.TRACKER)));
            index.refresh();
            assertThat(index.search(SearchQuery.parse("bourne shell"), 0, 10).rows()).extracting(r -> r.get(IndexField.HOST))
                    .containsExactly("min1");
        }
    }

    private static IndexedHost host(HostEvaluation e) {
        return new IndexedHost(e.host(), List.of("web"), Verdict.COMPLIANT, Optional.of(Instant.parse("2026-11-24T08:00:00Z")), "c-" + e.host(), e);
    }
}
