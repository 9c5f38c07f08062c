package org.demi.mirror.sync;

import org.demi.deb.BadInputException;

/** How one suite's sync attempt ended, as {@code mirror status} and the mirror page say it. */
public enum SyncOutcome {
    /** A new Release was verified with all its indices; the suite is in the snapshot published. */
    UPDATED("updated"),
    /** The Release verified is the one already published. */
    UNCHANGED("unchanged"),
    /** A check failed; the last good snapshot stays published. */
    FAILED("failed");

    private final String word;

    SyncOutcome(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The outcome a status file names. */
    public static SyncOutcome ofWord(String w) {
        for (SyncOutcome o : values()) {
            if (o.word.equals(w)) {
                return o;
            }
        }
        throw new BadInputException("not a sync outcome: '" + w + "'");
    }

    @Override
    public String toString() {
        return word;
    }
}
