package org.demi.mirror.fetch;

import java.io.IOException;

/** A file could not be fetched; {@link #notFound()} tells a missing file from a failing upstream. */
public class FetchException extends IOException {
    private final boolean notFound;

    public FetchException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
        this.notFound = false;
    }

    public boolean notFound() {
        return notFound;
    }
}
