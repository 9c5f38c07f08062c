package org.demi.mirror.sync;

/** What a sync tells its user as it goes. */
public interface Progress {
    /** A step done or begun, one line ({@code bookworm-security: InRelease verified}). */
    void step(String message);

    /** Bytes of the pool transfer so far; a terminal redraws one line, a log ignores it. */
    default void transfer(long files, long totalFiles, long bytes, long totalBytes) {
    }

    Progress SILENT = message -> {
    };
}
