package org.demi.index;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One document found: its stored fields by name, in the order the document has them, a
 * several-valued field as a list, then its time fields (read from doc values, in ISO 8601). Read a field with {@link #get} or
 * {@link #all}; {@link #values()} is the whole row, for a table or the JSON API.
 *
 * <p>Made only here, in the index, from a map made for the row alone and handed over: it is
 * kept as it is behind an unmodifiable view, not copied (a copy of every row of every page was
 * 2% of the server's CPU under FleetLoad's questions, and a map of garbage per row).
 */
public final class Row {
    private final Map<String, Object> values;

    /** The row of {@code values}, which the caller made for it and no longer touches. */
    Row(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Every field of the row, by name, in the document's order. */
    public Map<String, Object> values() {
        return values;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Row" + values;
    }
}
