package org.demi.index;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.demi.deb.BadInputException;

/**
 * The documents whose {@link IndexField.Kind#TIME} field holds a moment from {@code lower} to
 * {@code upper} (milliseconds, both included), read from the field's doc values: the only place
 * it is held, so that it can change in place. Only host documents hold one, so the values read
 * are a host's, not a package's.
 */
final class TimeRange extends Query {
    /** {@code 2026}, {@code 2026-12}, {@code 2026-12-01}, {@code 2026-12-01T08}, {@code …T08:30}, {@code …T08:30:15.250}, a Z after any. */
    private static final Pattern MOMENT = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,3}))?)?)?)?)?)?Z?");

    private final String field;
    private final long lower;
    private final long upper;

    private TimeRange(String field, long lower, long upper) {
        this.field = field;
        this.lower = lower;
        this.upper = upper;
    }

    /** The hidden field searched ({@link Schema#timeField}). */
    String field() {
        return field;
    }

    long lower() {
        return lower;
    }

    long upper() {
        return upper;
    }

    /**
     * What {@code field:value} asks: {@code never}; a moment or a period written as far as it
     * goes ({@code 2026-12} is that month, in UTC), optionally with a {@code *} after it; and
     * {@code <}, {@code <=}, {@code >}, {@code >=} before it. Never counts as before any moment,
     * so {@code last_seen:<2026-12-01} lists the hosts not seen since, those never seen among them.
     */
    static TimeRange parse(String field, String value) {
        String op = SearchQuery.comparison(value);
        String moment = value.substring(op.length());
        if (moment.endsWith("*")) {
            moment = moment.substring(0, moment.length() - 1);
        }
        String hidden = Schema.timeField(field);
        if (moment.equals("never")) {
            if (!op.isEmpty() && !op.equals("=")) {
                throw new BadInputException(field + ": never is no moment to compare with; " + field + ":never lists what never was");
            }
            return new TimeRange(hidden, Long.MIN_VALUE, Long.MIN_VALUE);
        }
        long[] period = period(field, moment);
        long start = period[0];
        long end = period[1]; // the first millisecond after the period
        return switch (op) {
            case "<" -> new TimeRange(hidden, Long.MIN_VALUE, start - 1);
            case "<=" -> new TimeRange(hidden, Long.MIN_VALUE, end - 1);
            case ">" -> new TimeRange(hidden, end, Long.MAX_VALUE);
            case ">=" -> new TimeRange(hidden, start, Long.MAX_VALUE);
            default -> new TimeRange(hidden, start, end - 1);
        };
    }

    /** The period a moment written as far as it goes covers: its first millisecond, and the first after it. */
    private static long[] period(String field, String moment) {
        Matcher m = MOMENT.matcher(moment);
        if (!m.matches()) {
            throw new BadInputException(field + " wants a moment in UTC as far as it matters (2026, 2026-12, 2026-12-01, "
                    + "2026-12-01T08:30) or never, as in " + field + ":<2026-12-01, not '" + moment + "'");
        }
        try {
            LocalDateTime start = LocalDateTime.of(Integer.parseInt(m.group(1)), number(m.group(2), 1), number(m.group(3), 1),
                    number(m.group(4), 0), number(m.group(5), 0), number(m.group(6), 0),
                    m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00").substring(0, 3)) * 1_000_000);
            LocalDateTime end = m.group(2) == null ? start.plusYears(1)
                    : m.group(3) == null ? start.plusMonths(1)
                    : m.group(4) == null ? start.plusDays(1)
                    : m.group(5) == null ? start.plusHours(1)
                    : m.group(6) == null ? start.plusMinutes(1)
                    : m.group(7) == null ? start.plusSeconds(1)
                    : start.plus(1, ChronoUnit.MILLIS);
            return new long[] {start.toInstant(ZoneOffset.UTC).toEpochMilli(), end.toInstant(ZoneOffset.UTC).toEpochMilli()};
        } catch (DateTimeException e) {
            throw new BadInputException(field + ": '" + moment + "' is no moment: " + e.getMessage());
        }
    }

    private static int number(String digits, int absent) {
        return digits == null ? absent : Integer.parseInt(digits);
    }

    /**
     * Whether {@code query} asks about a time field: its matches then change with a value changed
     * in place, in a segment that has no new deletion, so counts kept per segment would not see it.
     */
    static boolean askedBy(Query query) {
        boolean[] asked = {false};
        query.visit(new QueryVisitor() {
            @Override
            public void visitLeaf(Query leaf) {
                asked[0] |= leaf instanceof TimeRange;
            }

            @Override
            public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        return asked[0];
    }

    @Override
    public Query rewrite(IndexSearcher searcher) {
        return NumericDocValuesField.newSlowRangeQuery(field, lower, upper);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.visitLeaf(this);
        }
    }

    @Override
    public String toString(String defaultField) {
        return field + ":[" + Schema.timeText(lower) + " TO " + Schema.timeText(upper) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && field.equals(((TimeRange) o).field) && lower == ((TimeRange) o).lower && upper == ((TimeRange) o).upper;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, lower, upper);
    }
}
