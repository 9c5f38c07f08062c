package org.demi.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One document found: its stored fields by name, in the order the document has them, a
 * several-valued field as a list, then its time fields (read from doc values, in ISO 8601). Read a field with {@link #get} or
 * {@link #all}; {@link #values()} is the whole row, for a table or the JSON API.
 */
public record Row(Map<String, Object> values) {
    public Row {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The field's value, the first if it has several; empty when the document has none. */
    public String get(IndexField f) {
        Object v = values.get(f.word());
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "" : String.valueOf(l.get(0));
        }
        return v == null ? "" : String.valueOf(v);
    }

    /** Every value of the field, in the document's order. */
    public List<String> all(IndexField f) {
        Object v = values.get(f.word());
        if (v == null) {
            return List.of();
        }
        return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(v));
    }
}
