package org.demi.compliance.inventory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.demi.deb.paragraph.Limits;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.status.StatusEntry;

/**
 * The stanzas of every host's dpkg status file read so far, each with the entry it reads as.
 * A fleet's hosts hold the same stanzas over and over (the same package at the same version
 * is the same bytes on every host that installed it from the same archive): a stanza seen
 * before is found by its bytes and not read again, and every host that holds it shares one
 * entry.
 *
 * <p>An entry is a function of its stanza's bytes alone, so a stanza found here reads exactly
 * as reading it again would. Stanzas are split as {@link ParagraphReader} splits them: runs of
 * lines, ended by a line that is empty or holds only blanks. Whenever one is not found, the
 * whole file is read by the paragraph reader as before, and every error is its error, naming
 * the file's line; a new stanza is kept only when the paragraph the reader read in its place
 * is exactly its bytes.
 *
 * <p>Bounded by the bytes of the stanzas kept: past the bound nothing more is kept, and files
 * are read as before.
 */
final class StatusStanzas {
    /** What {@link StatusFile#parse} reads through: a desktop fleet's distinct stanzas fit in a few tens of MB. */
    static final StatusStanzas SHARED = new StatusStanzas(96L << 20);

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long maxBytes;
    private final AtomicLong heldBytes = new AtomicLong();
    private final Map<Stanza, StatusEntry> known = new ConcurrentHashMap<>();

    StatusStanzas(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Every stanza of a status file, as {@link StatusFile#parse} gives them. */
    List<StatusEntry> parse(byte[] bytes, String name) {
        int[] bounds = split(bytes);
        if (bounds == null) {
            return read(bytes, name, new int[0], new StatusEntry[0]);
        }
        int n = bounds.length / 2;
        StatusEntry[] found = new StatusEntry[n];
        boolean missed = false;
        for (int i = 0; i < n; i++) {
            found[i] = known.get(new Stanza(bytes, bounds[2 * i], bounds[2 * i + 1]));
            missed |= found[i] == null;
        }
        return missed ? read(bytes, name, bounds, found) : List.of(found);
    }

    /**
     * Reads the file with the paragraph reader, as before this pool was: the entries found are
     * taken as they are, the others are read and kept.
     */
    private List<StatusEntry> read(byte[] bytes, String name, int[] bounds, StatusEntry[] found) {
        List<StatusEntry> entries = new ArrayList<>(found.length);
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(bytes), name)) {
            int i = 0;
            for (Paragraph p; (p = r.next()) != null; i++) {
                boolean same = i < found.length && p.readFrom(bytes, bounds[2 * i], bounds[2 * i + 1]);
                if (same && found[i] != null) {
                    entries.add(found[i]);
                    continue;
                }
                StatusEntry e = StatusEntry.of(p);
                entries.add(e);
                if (same) {
                    keep(bytes, bounds[2 * i], bounds[2 * i + 1], e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to read
        }
        return entries;
    }

    private void keep(byte[] bytes, int from, int to, StatusEntry e) {
        if (heldBytes.get() + (to - from) > maxBytes) {
            return;
        }
        Stanza own = new Stanza(Arrays.copyOfRange(bytes, from, to), 0, to - from);
        if (known.putIfAbsent(own, e) == null) {
            heldBytes.addAndGet(to - from);
        }
    }

    /**
     * Where each stanza starts and ends, in pairs: from its first line's start to its last
     * line's end, before the newline. A line is blank when it holds only spaces, tabs and
     * carriage returns, as {@link ParagraphReader} has it. Null when a line is longer than the
     * reader allows, blank or not: the reader refuses the file, and must be the one to say so.
     */
    static int[] split(byte[] b) {
        int maxLine = Limits.DEFAULT.maxLineBytes();
        int[] out = new int[64];
        int n = 0;
        int start = -1;
        int lastEnd = -1;
        int pos = 0;
        while (pos < b.length) {
            int eol = lineEnd(b, pos);
            if (eol - pos > maxLine) {
                return null;
            }
            boolean blank = true;
            for (int k = pos; k < eol && blank; k++) { // a field's line ends this at its first byte
                byte c = b[k];
                blank = c == ' ' || c == '\t' || c == '\r';
            }
            if (!blank) {
                start = start < 0 ? pos : start;
                lastEnd = eol;
            }
            // A stanza ends at a blank line or with the input's last line.
            if (start >= 0 && (blank || eol >= b.length - 1)) {
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = start;
                out[n++] = lastEnd;
                start = -1;
            }
            pos = eol + 1;
        }
        return Arrays.copyOf(out, n);
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long NEWLINES = ONES * '\n';

    /**
     * The first newline from {@code from} on, or the end: eight bytes a step, a byte that is a
     * newline found as a zero byte of the word XOR newlines. The lowest such byte is exact
     * (the test's false positives only follow a true zero), and the word is read little-endian,
     * so its lowest byte is the first.
     */
    static int lineEnd(byte[] b, int from) {
        int i = from;
        for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
            long v = (long) LONGS.get(b, i) ^ NEWLINES;
            long zero = (v - ONES) & ~v & (ONES << 7);
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        while (i < b.length && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** How many stanzas are kept; for tests. */
    int size() {
        return known.size();
    }

    /**
     * A stanza's bytes, {@code bytes[from, to)}, equal to another's when the bytes are: one kept
     * holds a copy of its own, one looked up is the status file's range.
     */
    private static final class Stanza {
        final byte[] bytes;
        final int from;
        final int to;
        final int hash;

        Stanza(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.hash = hash(bytes, from, to);
        }

        /** Eight bytes a step: a stanza is hundreds of bytes, and a host has hundreds of them. */
        private static int hash(byte[] b, int from, int to) {
            long h = to - from;
            int i = from;
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
                h ^= h >>> 29;
            }
            for (; i < to; i++) {
                h = (h ^ b[i]) * 0x9E3779B97F4A7C15L;
            }
            return (int) (h ^ (h >>> 32));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stanza s && s.hash == hash && Arrays.equals(bytes, from, to, s.bytes, s.from, s.to);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
