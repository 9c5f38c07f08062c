package org.demi.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * <p>A judgement of every host digests each host's hundreds of documents (600 KB of values for a
 * desktop's), so the bytes are copied into a buffer of their own, a value at a time, and handed to
 * the digest in large pieces: field by field, the digest's own calls cost more than its hashing.
 */
final class DocumentDigest {
    private final MessageDigest sha256;
    private final byte[] buffer = new byte[1 << 16];
    private int used;
    /** Field names and types as bytes, by identity: a host's documents use a few dozen of each, over and over. */
    private final Map<Object, byte[]> described = new IdentityHashMap<>(128);

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
                d.described(f.name(), DocumentDigest::name);
                d.described(f.fieldType(), DocumentDigest::type);
                d.value(f);
            }
            d.put((byte) 'e'); // the end of a document
        }
        d.flush();
        return HexFormat.of().formatHex(d.sha256.digest());
    }

    private void described(Object o, Function<Object, byte[]> describe) {
        byte[] b = described.computeIfAbsent(o, describe);
        bytes(b, 0, b.length);
    }

    private static byte[] name(Object name) {
        return ((String) name).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] type(Object type) {
        IndexableFieldType t = (IndexableFieldType) type;
        return ByteBuffer.allocate(1 + 2 + 4 * Integer.BYTES)
                .put((byte) ((t.stored() ? 1 : 0) | (t.tokenized() ? 2 : 0) | (t.omitNorms() ? 4 : 0) | (t.storeTermVectors() ? 8 : 0)))
                .put((byte) t.indexOptions().ordinal()).put((byte) t.docValuesType().ordinal())
                .putInt(t.pointDimensionCount()).putInt(t.pointIndexDimensionCount()).putInt(t.pointNumBytes()).putInt(t.vectorDimension())
                .array();
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
            bytes(b.bytes, b.offset, b.length);
        } else {
            // Not a value Demi writes; a digest that passed over it could take two hosts for one.
            throw new IllegalStateException("field " + f.name() + " has no value a digest can read");
        }
    }

    /** Its UTF-8 bytes, with their count before them. */
    private void text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        bytes(b, 0, b.length);
    }

    private void bytes(byte[] b, int offset, int length) {
        number(length);
        if (length > buffer.length - used) {
            flush();
            if (length > buffer.length) {
                sha256.update(b, offset, length);
                return;
            }
        }
        System.arraycopy(b, offset, buffer, used, length);
        used += length;
    }

    private void number(long v) {
        if (buffer.length - used < Long.BYTES) {
            flush();
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[used++] = (byte) (v >>> shift);
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
