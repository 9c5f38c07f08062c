package org.demi.web.ui;

import java.util.List;
import java.util.Map;

/**
 * A table as CSV (RFC 4180: comma-separated, CRLF, double quotes doubled). A cell that a
 * spreadsheet would take for a formula (starting with = + - @, tab or CR) is prefixed with an
 * apostrophe: package descriptions come from hosts, and an export must not run what they hold.
 */
final class Csv {
    private Csv() {
    }

    static String of(Table t) {
        StringBuilder b = new StringBuilder();
        List<Column> cols = t.columns();
        for (int i = 0; i < cols.size(); i++) {
            b.append(i == 0 ? "" : ",").append(cell(cols.get(i).key()));
        }
        b.append("\r\n");
        for (Map<String, Object> row : t.rows()) {
            for (int i = 0; i < cols.size(); i++) {
                b.append(i == 0 ? "" : ",").append(cell(String.join(" ", Links.items(row.get(cols.get(i).key())))));
            }
            b.append("\r\n");
        }
        return b.toString();
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
