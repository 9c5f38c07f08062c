package org.demi.deb.release;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.demi.deb.DebFormatException;

/**
 * The {@code Date} and {@code Valid-Until} values of Release files, read as apt's
 * {@code RFC1123StrToTime()} reads them. apt accepts three forms, all in UTC:
 * <ul>
 * <li>{@code Sat, 21 Nov 2026 00:53:02 UTC} (RFC 1123; the zone may be {@code GMT},
 * {@code UTC}, {@code Z} or a numeric offset of zero such as {@code +0000}; the day may
 * have one digit),</li>
 * <li>{@code Saturday, 21-Nov-26 00:53:02 GMT} (RFC 850),</li>
 * <li>{@code Sat Nov 21 00:53:02 2026} (C's {@code asctime()}).</li>
 * </ul>
 * Any other zone, including a non-zero offset, is refused, as apt refuses it.
 */
public final class ReleaseDate {
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReleaseDate() {
    }

    /** Parses a date; the error names the value and what is wrong with it. */
    public static Instant parse(String text) {
        String[] w = text.strip().split("[ \t]+");
        try {
            if (w.length >= 1 && w[0].length() == 4 && w[0].charAt(3) == ',') {
                // RFC 1123: "Sun, 06 Nov 1994 08:49:37 GMT"
                expect(text, w.length == 6, "expected 'Day, DD Mon YYYY HH:MM:SS UTC'");
                checkZone(text, w[5]);
                return at(text, number(text, w[3], 4, 4), month(text, w[2]), number(text, w[1], 1, 2), w[4]);
            }
            if (w.length >= 1 && w[0].length() > 4 && w[0].endsWith(",")) {
                // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
                expect(text, w.length == 4, "expected 'Weekday, DD-Mon-YY HH:MM:SS GMT'");
                checkZone(text, w[3]);
                String[] d = w[1].split("-");
                expect(text, d.length == 3, "expected a date 'DD-Mon-YY'");
                int yy = number(text, d[2], 2, 2);
                int year = yy < 69 ? 2000 + yy : 1900 + yy;
                return at(text, year, month(text, d[1]), number(text, d[0], 1, 2), w[2]);
            }
            // asctime: "Sun Nov  6 08:49:37 1994"
            expect(text, w.length == 5 && w[0].length() == 3, "not a date in a form apt accepts");
            return at(text, number(text, w[4], 4, 4), month(text, w[1]), number(text, w[2], 1, 2), w[3]);
        } catch (DateTimeException e) {
            throw new DebFormatException("invalid date '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Formats a date the way Debian's archive writes it. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    private static Instant at(String text, int year, int month, int day, String time) {
        String[] t = time.split(":");
        expect(text, t.length == 3, "expected a time 'HH:MM:SS'");
        LocalTime lt = LocalTime.of(number(text, t[0], 2, 2), number(text, t[1], 2, 2), number(text, t[2], 2, 2));
        return LocalDate.of(year, month, day).atTime(lt).toInstant(ZoneOffset.UTC);
    }

    private static void checkZone(String text, String zone) {
        if (zone.equals("GMT") || zone.equals("UTC") || zone.equals("Z")) {
            return;
        }
        if (zone.matches("[+-]?0+")) {
            return;
        }
        throw new DebFormatException("invalid date '" + text + "': time zone '" + zone
                + "' is not UTC (apt accepts only GMT, UTC, Z or +0000)");
    }

    private static int month(String text, String name) {
        int m = MONTHS.indexOf(name.toLowerCase(Locale.ROOT));
        expect(text, m >= 0, "unknown month '" + name + "'");
        return m + 1;
    }

    private static int number(String text, String digits, int minLength, int maxLength) {
        expect(text, digits.length() >= minLength && digits.length() <= maxLength && digits.chars()
                .allMatch(c -> c >= '0' && c <= '9'), "'" + digits + "' is not a number of "
                + (minLength == maxLength ? minLength : minLength + " to " + maxLength) + " digits");
        return Integer.parseInt(digits);
    }

    private static void expect(String text, boolean condition, String reason) {
        if (!condition) {
            throw new DebFormatException("invalid date '" + text + "': " + reason);
        }
    }
}
