package org.demi.web.ui;

import java.util.List;
import java.util.Map;

/**
 * A table as CSV (RFC 4180: comma-separated, CRLF, double quotes doubled). A cell that a
 * spreadsheet would take for a formula (starting with = + - @, tab or CR) is prefixed with an
 * apostrophe: package descriptions come from hosts, and an export must not run what they hold.
 */
public final class Csv {
    private Csv() {
    }

    static String of(Table t) {
        StringBuilder b = new StringBuilder(line(t.columns().stream().map(Column::key).toList()));
        for (Map<String, Object> row : t.rows()) {
            b.append(line(t.columns().stream().map(c -> String.join(" ", Links.items(row.get(c.key())))).toList()));
        }
        return b.toString();
    }

    /** One record: the cells, comma-separated, CRLF at the end. */
    public static String line(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(i == 0 ? "" : ",").append(cell(cells.get(i)));
        }
        return b.append("\r\n").toString();
    }

    static String cell(String v) {
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
