package org.demi.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.IndexableFieldType;
import org.apache.lucene.util.BytesRef;

/**
 * A SHA-256 of documents exactly as they would be written: each field's name, how it is indexed
 * (its type: stored, indexed, doc values, points) and its value, in order, each with its length
 * before it, so that no two lists of documents run together into the same bytes. Two hosts' documents
 * with the same digest write the same index; a change of what Demi writes for the same
 * evaluation (a field more, a field indexed otherwise) changes the digest too.
 */
final class DocumentDigest {
    /** A field type's description, by type: the few types Demi uses, described once. */
    private static final Map<IndexableFieldType, byte[]> TYPES = new ConcurrentHashMap<>();

    private DocumentDigest() {
    }

    static String of(List<Document> documents) {
        MessageDigest d = sha256();
        for (Document doc : documents) {
            for (IndexableField f : doc.getFields()) {
                part(d, f.name().getBytes(StandardCharsets.UTF_8));
                part(d, TYPES.computeIfAbsent(f.fieldType(), t -> t.toString().getBytes(StandardCharsets.UTF_8)));
                value(d, f);
            }
            d.update((byte) 'e'); // the end of a document
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void value(MessageDigest d, IndexableField f) {
        if (f.stringValue() != null) {
            d.update((byte) 's');
            part(d, f.stringValue().getBytes(StandardCharsets.UTF_8));
        } else if (f.binaryValue() != null) {
            BytesRef b = f.binaryValue();
            d.update((byte) 'b');
            length(d, b.length);
            d.update(b.bytes, b.offset, b.length);
        } else if (f.numericValue() != null) {
            d.update((byte) 'n');
            part(d, f.numericValue().toString().getBytes(StandardCharsets.UTF_8));
        } else {
            // Not a value Demi writes; a digest that passed over it could take two hosts for one.
            throw new IllegalStateException("field " + f.name() + " has no value a digest can read");
        }
    }

    private static void part(MessageDigest d, byte[] bytes) {
        length(d, bytes.length);
        d.update(bytes);
    }

    private static void length(MessageDigest d, int length) {
        d.update((byte) (length >>> 24));
        d.update((byte) (length >>> 16));
        d.update((byte) (length >>> 8));
        d.update((byte) length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
