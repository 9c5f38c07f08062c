package org.demi.web.ui;

import java.util.List;

/**
 * One figure at the top of a page, with an optional link to the list behind it; or, with a
 * field, a list of values ({@code ", "}-separated) each linking to its own page.
 */
public record Fact(String label, String value, String href, String field) {
    public Fact(String label, String value, String href) {
        this(label, value, href, null);
    }

    public Fact(String label, Object value) {
        this(label, String.valueOf(value), null, null);
    }

    public List<String> items() {
        return value.isEmpty() ? List.of() : List.of(value.split(", "));
    }
}
