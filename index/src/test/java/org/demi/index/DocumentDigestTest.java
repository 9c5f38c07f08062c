package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.junit.jupiter.api.Test;

/**
 * Documents with one digest write the same index: the digest tells apart every way two lists of
 * documents can write differently, however small.
 */
class DocumentDigestTest {
    private static Document doc(org.apache.lucene.index.IndexableField... fields) {
        Document d = new Document();
        for (var f : fields) {
            d.add(f);
        }
        return d;
    }

    @Test
    void whatWritesDifferentlyDigestsDifferently() {
        String base = DocumentDigest.of(List.of(doc(new StringField("package", "openssl", Field.Store.YES),
                new NumericDocValuesField("updates", 3)), doc(new StringField("package", "bash", Field.Store.YES))));
        // The same documents, built anew.
        assertThat(DocumentDigest.of(List.of(doc(new StringField("package", "openssl", Field.Store.YES),
                new NumericDocValuesField("updates", 3)), doc(new StringField("package", "bash", Field.Store.YES))))).isEqualTo(base);
        // A value, a number, a field's name.
        assertThat(DocumentDigest.of(List.of(doc(new StringField("package", "openssl", Field.Store.YES),
                new NumericDocValuesField("updates", 4)), doc(new StringField("package", "bash", Field.Store.YES))))).isNotEqualTo(base);
        assertThat(DocumentDigest.of(List.of(doc(new StringField("package", "openssl", Field.Store.YES),
                new NumericDocValuesField("updated", 3)), doc(new StringField("package", "bash", Field.Store.YES))))).isNotEqualTo(base);
        // The same value stored but not indexed for search.
        assertThat(DocumentDigest.of(List.of(doc(new StoredField("package", "openssl"),
                new NumericDocValuesField("updates", 3)), doc(new StringField("package", "bash", Field.Store.YES))))).isNotEqualTo(base);
        // The same fields, one moved to the other document.
        assertThat(DocumentDigest.of(List.of(doc(new StringField("package", "openssl", Field.Store.YES)),
                doc(new NumericDocValuesField("updates", 3), new StringField("package", "bash", Field.Store.YES))))).isNotEqualTo(base);
        // Values run together: "ab" + "c" is not "a" + "bc".
        assertThat(DocumentDigest.of(List.of(doc(new StoredField("x", "ab"), new StoredField("x", "c")))))
                .isNotEqualTo(DocumentDigest.of(List.of(doc(new StoredField("x", "a"), new StoredField("x", "bc")))));
        // A letter outside ASCII; a whole number and a fraction of the same value; a number and its text.
        assertThat(DocumentDigest.of(List.of(doc(new StoredField("x", "caf\u00e9")))))
                .isNotEqualTo(DocumentDigest.of(List.of(doc(new StoredField("x", "cafe")))))
                .isNotEqualTo(DocumentDigest.of(List.of(doc(new StoredField("x", "caf\u00e8")))));
        assertThat(DocumentDigest.of(List.of(doc(new StoredField("x", 3L)))))
                .isNotEqualTo(DocumentDigest.of(List.of(doc(new StoredField("x", 3.0)))))
                .isNotEqualTo(DocumentDigest.of(List.of(doc(new StoredField("x", "3")))));
        // A document more, even an empty one.
        assertThat(DocumentDigest.of(List.of(doc(new StringField("package", "openssl", Field.Store.YES),
                new NumericDocValuesField("updates", 3)), doc(new StringField("package", "bash", Field.Store.YES)), doc())))
                .isNotEqualTo(base);
    }

    /** A field the digest cannot read (a facet field not yet built into its doc values) is refused, not passed over. */
    @Test
    void aFieldWithNoReadableValueIsRefused() {
        assertThatThrownBy(() -> DocumentDigest.of(List.of(doc(new SortedSetDocValuesFacetField("release", "bookworm")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no value a digest can read");
    }
}
