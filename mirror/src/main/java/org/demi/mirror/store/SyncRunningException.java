package org.demi.mirror.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another sync holds the data directory's {@link SyncLock}; this one did nothing. */
public final class SyncRunningException extends IOException {
    public SyncRunningException(Path lockFile, String holder) {
        super("another mirror sync is running on this data directory (" + (holder.isEmpty() ? "holder unknown" : holder)
                + ", lock " + lockFile + "); nothing was done: run again when it has finished");
    }
}
