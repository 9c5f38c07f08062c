package org.demi.web.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The addresses of the interface: one per thing Demi knows (a host, a package, an advisory,
 * a CVE), so every mention of one in a table can link to it. Every part that comes from data
 * (host names are host-supplied) is percent-encoded here; the templates then escape the whole.
 */
public final class Links {
    private Links() {
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The page of one value of this field, or null when the field has no page. */
    public static String of(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (field) {
            case "host" -> "/hosts/" + encode(value);
            case "package" -> "/packages/" + encode(value);
            case "advisory" -> "/advisories/" + encode(value);
            case "cve" -> "/cves/" + encode(value);
            default -> null;
        };
    }

    /** A list page with its query, sort, paging and export format (null or empty parts left out). */
    static String list(String path, String query, String sort, int offset, int limit, String format) {
        StringBuilder b = new StringBuilder(path);
        char sep = '?';
        for (String[] p : List.of(new String[] {"q", query}, new String[] {"sort", sort},
                new String[] {"offset", offset > 0 ? Integer.toString(offset) : null},
                new String[] {"limit", limit != Pages.DEFAULT_LIMIT ? Integer.toString(limit) : null},
                new String[] {"format", format})) {
            if (p[1] != null && !p[1].isEmpty()) {
                b.append(sep).append(p[0]).append('=').append(encode(p[1]));
                sep = '&';
            }
        }
        return b.toString();
    }

    /** A cell's value as the items it holds: one for a plain value, each for a multi-valued field. */
    public static List<String> items(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            // A loop, not a stream: every cell of every row a page shows comes here, and setting a
            // stream up was 2% of the pages' CPU in a profile under load (FleetLoad, 10,000 hosts).
            List<String> out = new java.util.ArrayList<>(l.size());
            for (Object o : l) {
                out.add(String.valueOf(o));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        String s = String.valueOf(value);
        return s.isEmpty() ? List.of() : List.of(s);
    }

    /**
     * One item of a table's cell as a page shows it: its text, and what is worked out from it once
     * (not once per test and once per use in the template).
     *
     * @param href the page of the value ({@link #of}), or null
     * @param size the value as a size ({@link #size}), or null
     * @param ago  how long ago the value's moment was ({@link #ago(String)}), or null
     */
    public record Item(String text, String href, String size, String ago) {
    }

    /** A cell's items ({@link #items}) in a column of this field, each with its link, size and age. */
    public static List<Item> cell(String field, Object value) {
        List<String> items = items(value);
        List<Item> out = new java.util.ArrayList<>(items.size());
        for (String item : items) {
            String href = of(field, item);
            out.add(new Item(item, href, href == null ? size(field, item) : null, ago(item)));
        }
        return out;
    }

    private static final java.util.regex.Pattern INSTANT = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

    /** For a cell item that is a time ({@code 2026-12-01T04:00:00Z}), how long ago it was; else null. */
    public static String ago(String item) {
        // Most cells are no time: told apart by two characters before the pattern is run on them.
        if (item.length() < 20 || item.charAt(10) != 'T' || item.charAt(item.length() - 1) != 'Z' || !INSTANT.matcher(item).matches()) {
            return null;
        }
        return ago(java.time.Duration.between(java.time.Instant.parse(item), java.time.Instant.now()));
    }

    static String ago(java.time.Duration d) {
        boolean future = d.isNegative();
        long s = Math.abs(d.toSeconds());
        String span = s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : s < 48 * 3600 ? s / 3600 + " h" : s / 86400 + " days";
        return future ? "(in " + span + ")" : "(" + span + " ago)";
    }

    private static final java.util.regex.Pattern BYTES = java.util.regex.Pattern.compile("[0-9]{1,19}");

    /** For a size (a field named {@code *_bytes}), the size as a person reads it ({@code 12.3 MiB}); else null. */
    public static String size(String field, String item) {
        if (!field.endsWith("_bytes") || !BYTES.matcher(item).matches()) {
            return null;
        }
        double b = Long.parseLong(item);
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? item + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", b, units[u]);
    }

    /** What a CSS class is not made of: anything but lower-case letters and hyphens. */
    private static final java.util.regex.Pattern NOT_IN_A_CLASS = java.util.regex.Pattern.compile("[^a-z-]");

    /** The CSS class of a cell: states and verdicts are coloured, so a mismatch stands out. */
    public static String tone(String field, Object value) {
        if (value == null) {
            return "";
        }
        return switch (field) {
            case "state", "verdict", "outcome", "support" -> "tone-" + NOT_IN_A_CLASS.matcher(String.valueOf(value)).replaceAll("");
            default -> "";
        };
    }
}
