package org.demi.mirror.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A moment by which a transfer must be done, with the reason it was set. A stream it
 * {@linkplain #guard guards} fails at the first read past it (a blocked read ends within
 * the fetcher's stall timeout, so the cut comes at most that late).
 */
public final class Deadline {
    private final long dueNanos;
    private final String reason;

    private Deadline(long dueNanos, String reason) {
        this.dueNanos = dueNanos;
        this.reason = reason;
    }

    public static Deadline after(Duration d, String reason) {
        return new Deadline(System.nanoTime() + d.toNanos(), reason);
    }

    /** Whichever comes first. */
    public Deadline min(Deadline other) {
        return other.dueNanos - dueNanos < 0 ? other : this;
    }

    /** Fails when the deadline has passed. */
    public void check(String where) throws FetchException {
        if (System.nanoTime() - dueNanos > 0) {
            throw new FetchException(where + ": not complete by its deadline (" + reason + "); the transfer was cut", false);
        }
    }

    /** The stream, failing at the first read past the deadline. */
    public InputStream guard(InputStream in, String where) throws FetchException {
        check(where);
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                check(where);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                check(where);
                return n;
            }
        };
    }
}
