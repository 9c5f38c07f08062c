package org.demi.compliance.tracker;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CVE ids as MITRE assigns them, {@code CVE-YEAR-NUMBER}, in the order they were assigned within a year. */
public final class CveIds {
    private static final Pattern CVE = Pattern.compile("CVE-(\\d{4})-(\\d{4,9})");

    /** By year, then number (so {@code CVE-2024-10000} follows {@code CVE-2024-9999}); other ids by text, before. */
    public static final Comparator<String> ORDER = Comparator.<String, Long>comparing(CveIds::rank).thenComparing(s -> s);

    private CveIds() {
    }

    public static boolean isCve(String id) {
        return CVE.matcher(id).matches();
    }

    /**
     * Year and number as one figure, or -1 for another id. Read without a regular expression:
     * the CVE list sorts thousands of ids by it on every change of the index.
     */
    private static long rank(String id) {
        int n = id.length();
        if (n < 13 || n > 18 || !id.startsWith("CVE-") || id.charAt(8) != '-') {
            return -1;
        }
        long year = digits(id, 4, 8);
        long number = digits(id, 9, n);
        return year < 0 || number < 0 ? -1 : year * 1_000_000_000L + number;
    }

    /** The decimal number {@code id.substring(from, to)} spells, or -1 when it is not all digits. */
    private static long digits(String id, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
