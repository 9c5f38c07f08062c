package org.demi.index;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.IndexableFieldType;
import org.apache.lucene.util.BytesRef;

/**
 * A SHA-256 of documents exactly as they would be written: each field's name, how it is indexed
 * (its type: stored, indexed, doc values, points) and its value, in order, each with its length
 * before it, so that no two lists of documents run together into the same bytes. Two hosts'
 * documents with the same digest write the same index; a change of what Demi writes for the same
 * evaluation (a field more, a field indexed otherwise) changes the digest too.
 *
 * <p>A judgement of every host digests each host's hundreds of documents, so the bytes are laid
 * out in a buffer of their own and handed to the digest in large pieces: field by field, the
 * digest's own calls cost more than its hashing.
 */
final class DocumentDigest {
    private final MessageDigest sha256;
    private final byte[] buffer = new byte[1 << 16];
    private int used;

    private DocumentDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String of(List<Document> documents) {
        DocumentDigest d = new DocumentDigest();
        for (Document doc : documents) {
            for (IndexableField f : doc.getFields()) {
                d.text(f.name());
                d.type(f.fieldType());
                d.value(f);
            }
            d.put((byte) 'e'); // the end of a document
        }
        d.flush();
        return HexFormat.of().formatHex(d.sha256.digest());
    }

    private void type(IndexableFieldType t) {
        put((byte) ((t.stored() ? 1 : 0) | (t.tokenized() ? 2 : 0) | (t.omitNorms() ? 4 : 0) | (t.storeTermVectors() ? 8 : 0)));
        put((byte) t.indexOptions().ordinal());
        put((byte) t.docValuesType().ordinal());
        number(t.pointDimensionCount());
        number(t.pointIndexDimensionCount());
        number(t.pointNumBytes());
        number(t.vectorDimension());
    }

    /** The value, numbers first: Lucene gives a number's text as its string value too, and stores the two apart. */
    private void value(IndexableField f) {
        Number n = f.numericValue();
        if (n != null) {
            boolean whole = n instanceof Integer || n instanceof Long;
            put((byte) (whole ? 'n' : 'f'));
            number(whole ? n.longValue() : Double.doubleToLongBits(n.doubleValue()));
        } else if (f.stringValue() != null) {
            put((byte) 's');
            text(f.stringValue());
        } else if (f.binaryValue() != null) {
            BytesRef b = f.binaryValue();
            put((byte) 'b');
            number(b.length);
            for (int i = 0; i < b.length; i++) {
                put(b.bytes[b.offset + i]);
            }
        } else {
            // Not a value Demi writes; a digest that passed over it could take two hosts for one.
            throw new IllegalStateException("field " + f.name() + " has no value a digest can read");
        }
    }

    /** Its length in chars, then each char: one byte for ASCII, else 0xFF and its two bytes. */
    private void text(String s) {
        number(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put((byte) c);
            } else {
                put((byte) 0xFF);
                put((byte) (c >>> 8));
                put((byte) c);
            }
        }
    }

    private void number(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            put((byte) (v >>> shift));
        }
    }

    private void put(byte b) {
        if (used == buffer.length) {
            flush();
        }
        buffer[used++] = b;
    }

    private void flush() {
        sha256.update(buffer, 0, used);
        used = 0;
    }
}
