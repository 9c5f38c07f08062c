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

    private static long rank(String id) {
        Matcher m = CVE.matcher(id);
        return m.matches() ? Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(m.group(2)) : -1;
    }
}
