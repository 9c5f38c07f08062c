package org.demi.web.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints an inspection summary for people: aligned "key: value" lines, then any table. */
final class TextSummary {
    private TextSummary() {
    }

    static void print(Map<String, Object> summary, PrintWriter out) {
        int width = 0;
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (!(e.getValue() instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map)) {
                width = Math.max(width, e.getKey().length());
            }
        }
        List<?> table = null;
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            Object v = e.getValue();
            if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
                table = l;
                continue;
            }
            out.printf("%-" + (width + 1) + "s %s%n", e.getKey() + ":", render(v));
        }
        if (table != null) {
            printTable(table, out);
        }
    }

    private static String render(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "-" : String.join(" ", l.stream().map(String::valueOf).toList());
        }
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return "-";
            }
            StringBuilder s = new StringBuilder();
            m.forEach((k, val) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(val));
            return s.toString();
        }
        return String.valueOf(v);
    }

    private static void printTable(List<?> rows, PrintWriter out) {
        @SuppressWarnings("unchecked")
        List<String> columns = List.copyOf(((Map<String, Object>) rows.get(0)).keySet());
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (Object row : rows) {
                widths[c] = Math.max(widths[c], String.valueOf(((Map<?, ?>) row).get(columns.get(c))).length());
            }
        }
        out.println();
        StringBuilder header = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            header.append(pad(columns.get(c).toUpperCase(java.util.Locale.ROOT), widths[c], c == columns.size() - 1));
        }
        out.println(header.toString().stripTrailing());
        for (Object row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                line.append(pad(String.valueOf(((Map<?, ?>) row).get(columns.get(c))), widths[c],
                        c == columns.size() - 1));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(String s, int width, boolean last) {
        return last ? s : s + " ".repeat(width - s.length() + 2);
    }
}
