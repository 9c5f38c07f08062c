package org.demi.index;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.demi.deb.BadInputException;

/**
 * The fields of the index and their kinds; one place, read by the document builder and the
 * query parser alike. Every field can be filtered on; single-valued ones can be sorted on;
 * the facet fields are counted.
 */
final class Schema {
    enum Kind {
        /** Exact value or {@code prefix*}; sortable when single-valued. */
        KEYWORD,
        /** Several values per document; filter and facet only. */
        MULTI,
        /** A Debian version: {@code <<}, {@code <=}, {@code =}, {@code >=}, {@code >>} in dpkg order; sorted in dpkg order. */
        VERSION,
        /** A whole number: {@code >N}, {@code <N}, {@code >=N}, {@code <=N}, {@code N}. */
        NUMBER
    }

    static final String TYPE = "type";
    static final String OWNER = "owner";
    static final String TEXT = "text";

    static final Map<String, Kind> FIELDS = Map.ofEntries(
            Map.entry("type", Kind.KEYWORD),
            Map.entry("host", Kind.KEYWORD),
            Map.entry("group", Kind.MULTI),
            Map.entry("release", Kind.KEYWORD),
            Map.entry("support", Kind.KEYWORD),
            Map.entry("verdict", Kind.KEYWORD),
            Map.entry("package", Kind.KEYWORD),
            Map.entry("arch", Kind.KEYWORD),
            Map.entry("source", Kind.KEYWORD),
            Map.entry("state", Kind.KEYWORD),
            Map.entry("advisory", Kind.MULTI),
            Map.entry("cve", Kind.MULTI),
            Map.entry("version", Kind.VERSION),
            Map.entry("source_version", Kind.VERSION),
            Map.entry("newest", Kind.VERSION),
            Map.entry("security_version", Kind.VERSION),
            Map.entry("packages", Kind.NUMBER),
            Map.entry("updates", Kind.NUMBER),
            Map.entry("security_updates", Kind.NUMBER),
            Map.entry("open_advisories", Kind.NUMBER),
            Map.entry("oldest_advisory", Kind.KEYWORD),
            Map.entry("last_seen", Kind.KEYWORD),
            Map.entry("date", Kind.KEYWORD),
            Map.entry("fixed_in", Kind.MULTI));

    /** The fields whose values can be counted; each has a facet field of its own. */
    static final Set<String> FACETS = Set.of("group", "release", "verdict", "state", "arch", "advisory", "host", "source",
            "fixed_in");

    /** Which of them a search counts, by what it lists: only these are read for its hits. */
    static final Map<String, java.util.List<String>> FACETS_BY_TYPE = Map.of(
            "package", java.util.List.of("state", "release", "arch", "group", "advisory", "host"),
            "host", java.util.List.of("verdict", "release", "group", "advisory"),
            "advisory", java.util.List.of("source", "fixed_in"));

    static String facetField(String dim) {
        return "$facet." + dim;
    }

    static final Set<String> MULTI_VALUED = Set.of("group", "advisory", "cve", "fixed_in");

    private Schema() {
    }

    static Kind kind(String field) {
        Kind k = FIELDS.get(field.toLowerCase(Locale.ROOT));
        if (k == null) {
            throw new BadInputException("unknown field '" + field + "' (fields: "
                    + String.join(", ", new java.util.TreeSet<>(FIELDS.keySet())) + ")");
        }
        return k;
    }

    /** The hidden field that holds a version's sort key. */
    static String keyField(String field) {
        return field + ".key";
    }
}
