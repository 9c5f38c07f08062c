package org.demi.web.ui;

import java.util.List;

/**
 * What one page shows, and what its JSON twin under {@code /api/v1/} returns: a title, the
 * figures at its top, its charts (the overview's), and its tables. The first table is the page's own list: its search box,
 * sorting, paging and export act on it; the others are fixed summaries.
 */
public record Page(String title, String path, List<Fact> facts, List<Chart> charts, List<Table> tables) {
    public Page {
        facts = List.copyOf(facts);
        charts = charts.stream().filter(java.util.Objects::nonNull).toList();
        tables = List.copyOf(tables);
    }

    public Page(String title, String path, List<Fact> facts, List<Table> tables) {
        this(title, path, facts, List.of(), tables);
    }
}
