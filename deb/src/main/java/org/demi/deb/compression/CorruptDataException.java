package org.demi.deb.compression;

import java.io.IOException;

/**
 * Compressed input that is truncated or damaged: the file is wrong, not the disk or the
 * network. The message names the compression and the defect.
 */
public final class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
