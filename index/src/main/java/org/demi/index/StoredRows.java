package org.demi.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;

/**
 * The rows of a page of hits, read from the documents' stored fields.
 *
 * <p>Stored fields are compressed in chunks of a dozen documents or so ({@link RowCodec}), and
 * Lucene's reader of one document decompresses its chunk from the start up to it, every time: a
 * host's 600 packages, read one by one, decompress each chunk a dozen times over. So the hits
 * are read in the index's order, and a hit with another hit close beside it (the same host's
 * documents, which are written together) is read through a reader that decompresses a chunk once
 * and keeps it while the next hits fall in it, Lucene's reader for merges. A hit alone (one host
 * document of a list of hosts, each in its own block) is read as before: a whole chunk for it
 * would be twice the work.
 */
final class StoredRows {
    /** How near, in documents, another hit must be for a hit to be read with its chunk kept. */
    static final int NEAR = 4;

    private StoredRows() {
    }

    /** The rows of hits {@code from} (inclusive) to {@code to}, in the hits' order. */
    static List<Row> read(IndexSearcher searcher, int[] hits, int from, int to) throws IOException {
        int n = Math.max(0, to - from);
        long[] byDoc = new long[n]; // the document in the high half, its place on the page in the low half
        for (int i = 0; i < n; i++) {
            byDoc[i] = (long) hits[from + i] << 32 | i;
        }
        Arrays.sort(byDoc);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        StoredFields alone = searcher.storedFields();
        StoredFields[] kept = new StoredFields[leaves.size()];
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            int doc = doc(byDoc, i);
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            boolean near = i > 0 && doc - doc(byDoc, i - 1) <= NEAR || i + 1 < n && doc(byDoc, i + 1) - doc <= NEAR;
            RowReader row = new RowReader();
            StoredFields chunked = near ? kept(kept, leaf) : null;
            if (chunked != null) {
                chunked.document(doc - leaf.docBase, row);
            } else {
                alone.document(doc, row);
            }
            if ("host".equals(row.values.get(Schema.TYPE))) {
                // Changed in place, so held in doc values alone: read there.
                for (IndexField f : IndexField.TIMES) {
                    NumericDocValues moment = leaf.reader().getNumericDocValues(Schema.timeField(f.word()));
                    row.values.put(f.word(), Schema.timeText(moment != null && moment.advanceExact(doc - leaf.docBase)
                            ? moment.longValue() : Long.MIN_VALUE));
                }
            }
            rows[(int) byDoc[i]] = new Row(row.read());
        }
        return List.of(rows);
    }

    /** The document of the {@code i}th hit in the index's order. */
    private static int doc(long[] byDoc, int i) {
        return (int) (byDoc[i] >>> 32);
    }

    /** The segment's reader that keeps a decompressed chunk, made once per page; null where the segment has none. */
    private static StoredFields kept(StoredFields[] kept, LeafReaderContext leaf) throws IOException {
        if (kept[leaf.ord] == null) {
            LeafReader r = FilterLeafReader.unwrap(leaf.reader());
            if (!(r instanceof CodecReader codec) || codec.getFieldsReader() == null) {
                return null;
            }
            kept[leaf.ord] = codec.getFieldsReader().getMergeInstance();
        }
        return kept[leaf.ord];
    }

    /**
     * A document's stored fields read straight into a row, in the document's order, a
     * several-valued field as a list: without a Lucene document of fields in between, each made
     * only to be read once.
     */
    private static final class RowReader extends StoredFieldVisitor {
        final Map<String, Object> values = new LinkedHashMap<>();

        @Override
        public Status needsField(FieldInfo field) {
            return Status.YES;
        }

        @Override
        public void stringField(FieldInfo field, String value) {
            add(field.name, value);
        }

        @Override
        public void intField(FieldInfo field, int value) {
            add(field.name, value);
        }

        @Override
        public void longField(FieldInfo field, long value) {
            add(field.name, value);
        }

        @Override
        public void floatField(FieldInfo field, float value) {
            add(field.name, value);
        }

        @Override
        public void doubleField(FieldInfo field, double value) {
            add(field.name, value);
        }

        /**
         * The row read, each several-valued field's value a list, also when it has one. Done once
         * per row for the few such fields, not as each field is read (a lookup by name for each
         * of a row's dozens of fields cost a tenth of reading a host's row, in a profile).
         */
        Map<String, Object> read() {
            for (IndexField f : IndexField.SEVERAL_VALUED) {
                Object v = values.get(f.word());
                if (v != null && !(v instanceof ArrayList<?>)) {
                    values.put(f.word(), new ArrayList<>(List.of(v)));
                }
            }
            return values;
        }

        private void add(String name, Object v) {
            Object old = values.putIfAbsent(name, v);
            if (old == null) {
                return;
            }
            if (old instanceof ArrayList<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) l; // made here for this row: added to in place
                list.add(v);
            } else {
                values.put(name, new ArrayList<>(List.of(old, v)));
            }
        }
    }
}
