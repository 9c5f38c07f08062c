package org.demi.deb.compression;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads another stream on a thread of its own, a few chunks ahead of the consumer, so that
 * decompressing (on one core) and parsing (on another) overlap. Errors of the source are
 * raised to the consumer at the point where they happened in the stream.
 */
public final class ReadAheadInputStream extends ChunkedInputStream {
    private static final int CHUNK = 1 << 17;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
    private final Thread reader;
    private boolean finished;
    private volatile boolean closed;

    public ReadAheadInputStream(InputStream source, String name) {
        reader = new Thread(() -> pump(source), "read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(InputStream source) {
        try (source) {
            while (!closed) {
                byte[] chunk = new byte[CHUNK];
                int n = source.readNBytes(chunk, 0, CHUNK);
                if (n > 0) {
                    queue.put(new Chunk(chunk, n));
                }
                if (n < CHUNK) {
                    break;
                }
            }
            queue.put(END);
        } catch (IOException | RuntimeException e) {
            putQuietly(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void putQuietly(Exception e) {
        try {
            queue.put(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private record Chunk(byte[] bytes, int length) {
    }

    @Override
    protected boolean advance() throws IOException {
        if (finished) {
            return false;
        }
        Object next;
        try {
            next = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        if (next == END) {
            finished = true;
            return false;
        }
        if (next instanceof IOException e) {
            finished = true;
            throw e; // as raised, so that callers can tell a damaged file from a failing disk
        }
        if (next instanceof RuntimeException e) {
            finished = true;
            throw e;
        }
        Chunk chunk = (Chunk) next;
        serve(chunk.bytes(), chunk.length());
        return true;
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        queue.clear();
    }
}
