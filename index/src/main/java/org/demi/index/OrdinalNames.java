package org.demi.index;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;

/**
 * The values of segments' keyword ordinals, decoded once per segment and field and kept as long
 * as the segment. A segment never changes its values, but a new reader's tallies turn every
 * segment's ordinals back into values: looked up afresh each time (a seek in the terms
 * dictionary and a string made per ordinal), that cost the CVE list a second per push at 10,000
 * hosts. Values are decoded as they are asked for; two threads asking at once may both decode
 * one, and keep the same string.
 */
final class OrdinalNames {
    /** How a field's ordinal is turned into its value, with the asker's own doc values. */
    interface Decoder {
        String decode(long ord) throws IOException;
    }

    /** One segment's field: its values by ordinal, those not asked yet null. */
    static final class Field {
        private final String[] values;

        private Field(long valueCount) {
            this.values = new String[Math.toIntExact(valueCount)];
        }

        String get(int ord, Decoder decoder) throws IOException {
            String v = values[ord];
            if (v == null) {
                v = decoder.decode(ord);
                values[ord] = v;
            }
            return v;
        }
    }

    /** By segment core, by field. */
    private final Map<Object, Map<String, Field>> bySegment = new ConcurrentHashMap<>();

    /** The segment's field, holding {@code valueCount} values. */
    Field of(LeafReader segment, String field, long valueCount) {
        IndexReader.CacheHelper core = segment.getCoreCacheHelper();
        if (core == null) {
            return new Field(valueCount);
        }
        Map<String, Field> fields = bySegment.computeIfAbsent(core.getKey(), key -> {
            core.addClosedListener(bySegment::remove);
            return new ConcurrentHashMap<>();
        });
        return fields.computeIfAbsent(field, f -> new Field(valueCount));
    }
}
