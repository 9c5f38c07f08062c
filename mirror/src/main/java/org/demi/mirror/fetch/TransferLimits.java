package org.demi.mirror.fetch;

import java.time.Duration;

/**
 * How long upstream transfers may take, so that a trickling upstream cannot hold a sync
 * forever (the stall timeout alone restarts at every byte). A file gets {@code floor} plus
 * its signed size at {@code minBytesPerSecond}; a whole sync gets {@code wholeSync}.
 */
public record TransferLimits(Duration floor, long minBytesPerSecond, Duration wholeSync) {
    /**
     * Two minutes for any file, then 32 KiB/s, far below any working link (a 40 MB Packages.xz
     * gets 22 minutes); a day for one sync of every configured suite, enough for a first full
     * pool of a large archive.
     */
    public static final TransferLimits DEFAULT = new TransferLimits(Duration.ofMinutes(2), 32 << 10, Duration.ofDays(1));

    public TransferLimits {
        if (floor.isNegative() || floor.isZero() || minBytesPerSecond <= 0 || wholeSync.isNegative() || wholeSync.isZero()) {
            throw new IllegalArgumentException("transfer limits must be positive");
        }
    }

    /** The deadline of one file of {@code signedSize} bytes, starting now. */
    public Deadline forFile(long signedSize) {
        Duration d = floor.plusSeconds(signedSize / minBytesPerSecond);
        return Deadline.after(d, "its " + d.toSeconds() + " s for a signed size of " + signedSize + " bytes");
    }

    /** The deadline of a sync starting now. */
    public Deadline forSync() {
        return Deadline.after(wholeSync, "the whole sync's limit of " + wholeSync.toMinutes() + " min");
    }
}
