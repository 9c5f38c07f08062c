package org.demi.index;

import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;

/**
 * Lucene 9.12's codec with stored fields kept in small chunks: every row a page shows is read
 * from them, one document at a time and out of order, and Lucene's default (80 KB chunks
 * compressed against a preset dictionary) decompresses the dictionary and a sub-block for each
 * one: a quarter of a host page's CPU. Chunks of 4 KB with plain LZ4 cost a few kilobytes per
 * row instead, for a larger index. Found by name when an index is opened, through the service
 * file beside Lucene's codecs; segments written before keep Lucene's codec and stay readable.
 */
public final class RowCodec extends FilterCodec {
    private final StoredFieldsFormat stored = new Lucene90CompressingStoredFieldsFormat("DemiRowStoredFields", CompressionMode.FAST,
            4 * 1024, 64, 10);

    public RowCodec() {
        super("DemiRow912", new Lucene912Codec());
    }

    @Override
    public StoredFieldsFormat storedFieldsFormat() {
        return stored;
    }
}
