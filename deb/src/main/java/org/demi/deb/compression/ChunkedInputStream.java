package org.demi.deb.compression;

import java.io.IOException;
import java.io.InputStream;

/** A stream served from a sequence of byte chunks that a subclass produces, in order, with {@link #advance()}. */
abstract class ChunkedInputStream extends InputStream {
    private byte[] chunk = new byte[0];
    private int length;
    private int offset;

    /** Makes the next chunk current with {@link #serve}; false at the end of the stream. */
    protected abstract boolean advance() throws IOException;

    /** The next {@code length} bytes of the stream are the start of {@code bytes}. */
    protected final void serve(byte[] bytes, int length) {
        this.chunk = bytes;
        this.length = length;
        this.offset = 0;
    }

    @Override
    public int read() throws IOException {
        while (offset == length) {
            if (!advance()) {
                return -1;
            }
        }
        return chunk[offset++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (offset == length) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(len, length - offset);
        System.arraycopy(chunk, offset, b, off, n);
        offset += n;
        return n;
    }
}
