package org.demi.deb.version;

import java.util.Locale;
import org.demi.deb.BadInputException;

/**
 * The version relations of Debian Policy 7.1 ({@code << <= = >= >>}), plus the
 * {@code ne} test that {@code dpkg --compare-versions} offers.
 */
public enum Relation {
    EARLIER("<<", "lt"),
    EARLIER_OR_EQUAL("<=", "le"),
    EQUAL("=", "eq"),
    NOT_EQUAL("!=", "ne"),
    LATER_OR_EQUAL(">=", "ge"),
    LATER(">>", "gt");

    private final String symbol;
    private final String word;

    Relation(String symbol, String word) {
        this.symbol = symbol;
        this.word = word;
    }

    /** The Policy symbol, for example {@code <<}. */
    public String symbol() {
        return symbol;
    }

    /** dpkg's word for it, for example {@code lt}. */
    public String word() {
        return word;
    }

    /** Whether {@code a RELATION b} holds. */
    public boolean holds(Version a, Version b) {
        return test(a.compareTo(b));
    }

    /** Whether this relation holds for the result of a {@code compareTo}. */
    public boolean test(int comparison) {
        return switch (this) {
            case EARLIER -> comparison < 0;
            case EARLIER_OR_EQUAL -> comparison <= 0;
            case EQUAL -> comparison == 0;
            case NOT_EQUAL -> comparison != 0;
            case LATER_OR_EQUAL -> comparison >= 0;
            case LATER -> comparison > 0;
        };
    }

    /**
     * Reads a relation as dpkg's {@code --compare-versions} and Policy write it:
     * {@code lt le eq ne ge gt} or {@code << <= = >= >>}. The obsolete single
     * {@code <} and {@code >} are refused: Policy deprecates them because they
     * read as strict but mean "or equal".
     */
    public static Relation parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Relation r : values()) {
            if (r.symbol.equals(t) || r.word.equals(t)) {
                return r;
            }
        }
        throw new BadInputException("unknown relation '" + text
                + "' (use one of lt le eq ne ge gt, or << <= = >= >>)");
    }
}
