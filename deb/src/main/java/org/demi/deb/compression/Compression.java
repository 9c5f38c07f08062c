package org.demi.deb.compression;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZIOException;
import org.tukaani.xz.XZInputStream;

/**
 * The compressions Debian archives use for index files, recognised by their first bytes
 * (never by a file name, which an attacker or a careless copy can get wrong).
 */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    XZ(".xz"),
    BZIP2(".bz2");

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] BZIP2_MAGIC = {'B', 'Z', 'h'};

    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    /** The file name extension apt uses for it ({@code ""} for none). */
    public String extension() {
        return extension;
    }

    /** Recognises a compression from the first bytes of a file (at least six are needed). */
    public static Compression detect(byte[] head, int length) {
        if (startsWith(head, length, XZ_MAGIC)) {
            return XZ;
        }
        if (startsWith(head, length, GZIP_MAGIC)) {
            return GZIP;
        }
        if (startsWith(head, length, BZIP2_MAGIC) && length > 3 && head[3] >= '1' && head[3] <= '9') {
            return BZIP2;
        }
        return NONE;
    }

    /**
     * Opens {@code in} decompressed, whatever its compression, and tells which it was,
     * checking the container's own integrity check (xz's CRC64 or SHA-256, gzip's CRC32).
     * The stream is closed with the result.
     */
    public static Opened open(InputStream in) throws IOException {
        return open(in, true);
    }

    /**
     * Like {@link #open(InputStream)}. Without {@code checkContainer} the xz container's
     * check is skipped, which saves a fifth of the decompression time: only for bytes
     * whose SHA256 was already checked against a signed Release, where the check can add
     * nothing.
     *
     * <p>A compressed stream is decompressed on a thread of its own, ahead of the reader,
     * so that decompressing and parsing use two cores.
     */
    public static Opened open(InputStream in, boolean checkContainer) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(8);
        byte[] head = buffered.readNBytes(8);
        buffered.reset();
        Compression c = detect(head, head.length);
        InputStream decompressed = c.decompress(buffered, checkContainer);
        if (c != NONE) {
            decompressed = new ReadAheadInputStream(decompressed, c.name());
        }
        return new Opened(c, decompressed);
    }

    /** Blocks larger than this are not held in memory whole; such files stream as one. */
    private static final long MAX_BLOCK = 256L << 20;

    /**
     * Opens a file decompressed. An .xz file of several blocks is decompressed block by
     * block on two threads ({@link XzBlocksInputStream}); anything else as
     * {@link #open(InputStream, boolean)} does.
     */
    public static Opened open(java.nio.file.Path file, boolean checkContainer) throws IOException {
        byte[] head;
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (detect(head, head.length) == XZ) {
            long[] sizes;
            try (org.tukaani.xz.SeekableXZInputStream xz = new org.tukaani.xz.SeekableXZInputStream(
                    new org.tukaani.xz.SeekableFileInputStream(file.toFile()), -1, checkContainer)) {
                sizes = new long[xz.getBlockCount()];
                for (int b = 0; b < sizes.length; b++) {
                    sizes[b] = xz.getBlockSize(b);
                }
                if (sizes.length > 1 && xz.getLargestBlockSize() <= MAX_BLOCK) {
                    return new Opened(XZ, new XzBlocksInputStream(file, checkContainer, sizes));
                }
            } catch (IOException e) {
                // No usable index at the end (a truncated or damaged file): read it as one
                // stream, which says where and how it breaks.
            }
        }
        return open(java.nio.file.Files.newInputStream(file), checkContainer);
    }

    /**
     * Wraps a stream of this compression in its decompressor. Truncated or damaged data
     * raises {@link CorruptDataException}.
     */
    public InputStream decompress(InputStream in, boolean checkContainer) throws IOException {
        if (this == NONE) {
            return in;
        }
        try {
            InputStream decompressor = switch (this) {
                case NONE -> in;
                case GZIP -> new GZIPInputStream(in, 1 << 16);
                case XZ -> new XZInputStream(in, -1, checkContainer);
                case BZIP2 -> new BZip2CompressorInputStream(in);
            };
            return new FilterInputStream(decompressor) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw corrupt(e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw corrupt(e);
                    }
                }
            };
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    /**
     * Tells damaged data from failing I/O: an early end of the data, or a defect the
     * decompressor found, becomes {@link CorruptDataException}; anything else is passed on.
     */
    IOException corrupt(IOException e) {
        String name = name().toLowerCase(java.util.Locale.ROOT);
        if (e instanceof CorruptDataException) {
            return e;
        }
        if (e instanceof EOFException) {
            return new CorruptDataException(name + " data ends early (truncated file)", e);
        }
        if (e instanceof XZIOException || e instanceof ZipException) {
            return new CorruptDataException(name + " data is damaged: " + e.getMessage(), e);
        }
        return e;
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic) {
        return length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /** A decompressed stream and the compression that was found. */
    public record Opened(Compression compression, InputStream stream) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
