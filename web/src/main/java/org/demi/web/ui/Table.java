package org.demi.web.ui;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import org.demi.index.IndexField;
import org.demi.index.SearchQuery;

/**
 * A table of a page: its columns, the page of rows shown, how many there are in all, and the
 * query, sort and paging that chose them; the facet counts of the whole result, for the
 * narrowing links beside it. Its links keep the query, so a filtered, sorted list can be
 * bookmarked, paged and exported as it is.
 */
public record Table(String id, String caption, String path, List<Column> columns, List<Map<String, Object>> rows, long total,
        int offset, int limit, String query, String sort, Map<String, Map<String, Long>> facets) {
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        facets = facets == null ? Map.of() : facets;
        query = query == null ? "" : query;
        sort = sort == null ? "" : sort;
    }

    /** A fixed table: all its rows shown, nothing to search, sort or page. */
    public static Table fixed(String id, String caption, List<Column> columns, List<Map<String, Object>> rows) {
        return new Table(id, caption, null, columns, rows, rows.size(), 0, rows.size(), "", "", Map.of());
    }

    /** The same table with other rows in the place of these (the same paging and total). */
    Table withRows(List<Map<String, Object>> newRows) {
        return new Table(id, caption, path, columns, newRows, total, offset, limit, query, sort, facets);
    }

    @JsonIgnore
    public boolean searchable() {
        return path != null;
    }

    /** The link that sorts by this column: ascending, or descending when it is already ascending. */
    public String sortHref(Column c) {
        String next = sort.equals(c.key()) ? "-" + c.key() : c.key();
        return Links.list(path, query, next, 0, limit, null);
    }

    /** "▲" or "▼" beside the column the list is sorted by. */
    public String sortMark(Column c) {
        return sort.equals(c.key()) ? " ▲" : sort.equals("-" + c.key()) ? " ▼" : "";
    }

    public String pageHref(int newOffset) {
        return Links.list(path, query, sort, Math.max(0, newOffset), limit, null);
    }

    public String exportHref(String format) {
        return Links.list(path, query, sort, 0, limit, format);
    }

    /** The CSV of a fixed table of the page at {@code pagePath}: the rows it shows. */
    public String fixedCsvHref(String pagePath) {
        return pagePath + "?format=csv&table=" + Links.encode(id);
    }

    /** The same rows, shown as the answer to {@code typed} (the query as its user typed it). */
    public Table withQuery(String typed) {
        return new Table(id, caption, path, columns, rows, total, offset, limit, typed, sort, facets);
    }

    /** An example query that works on this table, for its search box. */
    @JsonIgnore
    public String placeholder() {
        return switch (id) {
            case "hosts" -> "verdict:non-compliant group:web package:openssl state:security-update";
            case "advisories" -> "source:openssl fixed_in:bookworm";
            case "cves" -> "urgency:high cve_state:fix-available scope:remote";
            default -> "state:security-update release:bookworm package:libssl*";
        };
    }

    /**
     * The facet values worth a link: those some rows have and others not. A value every row
     * has (the host's own groups on its page, the one release of a host) narrows nothing.
     */
    @JsonIgnore
    public Map<String, Map<String, Long>> usefulFacets() {
        Map<String, Map<String, Long>> out = new java.util.LinkedHashMap<>();
        facets.forEach((dim, values) -> {
            Map<String, Long> kept = new java.util.LinkedHashMap<>();
            values.forEach((v, n) -> {
                if (n < total) {
                    kept.put(v, n);
                }
            });
            if (!kept.isEmpty()) {
                out.put(dim, kept);
            }
        });
        return out;
    }

    /** The link that narrows the list to one facet value (see {@link SearchQuery#narrowed}). */
    public String facetHref(String dimension, String value) {
        IndexField field = IndexField.of(dimension).orElseThrow(() -> new IllegalArgumentException("no field " + dimension));
        return Links.list(path, SearchQuery.narrowed(query, field, value), sort, 0, limit, null);
    }

    @JsonIgnore
    public boolean hasPrevious() {
        return searchable() && offset > 0;
    }

    @JsonIgnore
    public boolean hasNext() {
        return searchable() && offset + rows.size() < total;
    }

    @JsonIgnore
    public int last() {
        return offset + rows.size();
    }
}
