package org.demi.index;

import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.InvertableType;
import org.apache.lucene.document.StoredValue;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * A value that is searched for as a whole term, sorted by and (for a keyword) stored, as one
 * field. Lucene's {@code StringField} and {@code SortedDocValuesField} of the same name and value
 * write the same index, but as two fields, each looked up and checked by the index writer and read
 * by the document digest on every one of a host's hundreds of documents. Like Lucene's own
 * {@code KeywordField}, whose doc values are several-valued where these are single.
 */
final class SortableField extends Field {
    private static final FieldType KEY = type(false);
    private static final FieldType KEYWORD = type(true);

    private static FieldType type(boolean stored) {
        FieldType t = new FieldType();
        t.setIndexOptions(IndexOptions.DOCS);
        t.setOmitNorms(true);
        t.setTokenized(false);
        t.setDocValuesType(DocValuesType.SORTED);
        t.setStored(stored);
        t.freeze();
        return t;
    }

    private final BytesRef bytes;
    private final StoredValue stored;

    private SortableField(String name, String value, BytesRef bytes) {
        super(name, value, KEYWORD);
        this.bytes = bytes;
        this.stored = new StoredValue(value);
    }

    private SortableField(String name, BytesRef key) {
        super(name, key, KEY);
        this.bytes = key;
        this.stored = null;
    }

    /** A keyword: searched, sorted by, and stored as text for the rows. */
    static SortableField keyword(String name, String value) {
        return new SortableField(name, value, new BytesRef(value));
    }

    /** A sort key (bytes, not text): searched and sorted by, not stored. */
    static SortableField key(String name, BytesRef key) {
        return new SortableField(name, key);
    }

    @Override
    public BytesRef binaryValue() {
        return bytes;
    }

    @Override
    public InvertableType invertableType() {
        return InvertableType.BINARY;
    }

    @Override
    public StoredValue storedValue() {
        return stored;
    }
}
