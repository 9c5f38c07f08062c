package org.demi.web.ui;

/** A column of a table: the field it shows, its heading, and whether the index can sort on it. */
public record Column(String key, String label, boolean sortable) {
}
