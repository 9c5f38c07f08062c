package org.demi.deb.paragraph;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads deb822 paragraphs from a byte stream, one at a time, holding no more than one
 * paragraph and one line in memory.
 *
 * <p>Syntax, after deb822(5) and Debian Policy 5.1: a paragraph is a run of lines, ended
 * by a line that is empty or holds only blanks, or by the end of the input. A field starts
 * with a line {@code Name: value}; the name is ASCII without control characters, space or
 * colon, and does not start with {@code #} or {@code -}. A line that starts with a space
 * or tab continues the previous field. A name may occur only once in a paragraph. With
 * {@link Limits#allowComments()}, lines starting with {@code #} are ignored.
 *
 * <p>Bytes are not decoded while reading. Lines that are not valid UTF-8 are reported as
 * {@link Problem}s (and decode later with replacement characters); every syntax error or
 * exceeded limit is a {@link ParagraphException} that names the line, after which the
 * reader refuses to go on.
 */
public final class ParagraphReader implements Closeable {
    private static final int READ_CHUNK = 1 << 16;

    private final InputStream in;
    private final String source;
    private final Limits limits;
    private final List<Problem> problems = new ArrayList<>();

    private byte[] buf = new byte[1 << 18];
    /** Start of the first line not yet consumed. */
    private int pos;
    /** End of the valid bytes in {@link #buf}. */
    private int limit;
    private boolean eof;
    private boolean failed;
    private long lineNumber = 1;
    private int[] slots = new int[Paragraph.SLOT * 32];

    public ParagraphReader(InputStream in, String source) {
        this(in, source, Limits.DEFAULT);
    }

    public ParagraphReader(InputStream in, String source, Limits limits) {
        this.in = in;
        this.source = source;
        this.limits = limits;
    }

    /** Reads every paragraph of a stream into a list. */
    public static List<Paragraph> readAll(InputStream in, String source) throws IOException {
        List<Paragraph> all = new ArrayList<>();
        try (ParagraphReader reader = new ParagraphReader(in, source)) {
            for (Paragraph p; (p = reader.next()) != null; ) {
                all.add(p);
            }
        }
        return all;
    }

    /** The non-fatal problems seen so far. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /**
     * The next paragraph, or {@code null} at the end of the input.
     *
     * @throws ParagraphException on a syntax error or exceeded limit, naming the line
     */
    public Paragraph next() throws IOException {
        if (failed) {
            throw new IllegalStateException(source + ": reading stopped at an earlier error");
        }
        try {
            return readParagraph();
        } catch (ParagraphException e) {
            failed = true;
            throw e;
        }
    }

    private Paragraph readParagraph() throws IOException {
        // Separator lines (and comments) before the paragraph.
        int eol;
        while (true) {
            eol = lineEnd();
            if (eol < 0) {
                return null;
            }
            if (isBlankLine(pos, eol) || isComment(pos, eol)) {
                consume(eol);
                continue;
            }
            break;
        }

        // Field offsets are relative to the paragraph's start, so that a refill, which
        // moves the buffer (and paragraphStart with it), leaves them valid.
        paragraphStart = pos;
        int count = 0;
        while (eol >= 0) {
            byte first = buf[pos];
            if (isBlankLine(pos, eol)) {
                consume(eol);
                break;
            }
            if (isComment(pos, eol)) {
                removeLine(eol);
                eol = lineEnd();
                continue;
            }
            if (first == ' ' || first == '\t') {
                if (count == 0) {
                    throw error("continuation line outside a field");
                }
                slots[(count - 1) * Paragraph.SLOT + 2] = eol - paragraphStart;
            } else {
                addField(count, eol, first);
                count++;
            }
            if (eol - paragraphStart > limits.maxParagraphBytes()) {
                throw error("paragraph starting on line " + slots[3] + " is larger than "
                        + limits.maxParagraphBytes() + " bytes");
            }
            consume(eol);
            eol = lineEnd();
        }
        int start = paragraphStart;
        paragraphStart = -1;
        int end = start + slots[(count - 1) * Paragraph.SLOT + 2];
        byte[] data = Arrays.copyOfRange(buf, start, end);
        return new Paragraph(source, data, Arrays.copyOf(slots, count * Paragraph.SLOT), count);
    }

    /** Records the field whose first line is {@code buf[pos, eol)} as field number {@code count}. */
    private void addField(int count, int eol, byte first) {
        if (count == limits.maxFields()) {
            throw error("paragraph has more than " + limits.maxFields() + " fields");
        }
        int colon = -1;
        int hash = 0;
        for (int k = pos; k < eol; k++) {
            byte c = buf[k];
            if (c == ':') {
                colon = k;
                break;
            }
            if (c <= ' ' || c == 0x7f) {
                break;
            }
            hash = 31 * hash + Paragraph.toLower(c);
        }
        if (first == '#') {
            throw error("comment lines are not allowed in this kind of file");
        }
        if (colon < 0) {
            throw error("expected a field ('Name: value'), found '" + excerpt(pos, eol) + "'");
        }
        if (colon == pos || first == '#' || first == '-') {
            throw error("invalid field name '" + excerpt(pos, colon) + "'");
        }
        int s = count * Paragraph.SLOT;
        if (s + Paragraph.SLOT > slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        int start = paragraphStart;
        for (int o = 0; o < s; o += Paragraph.SLOT) {
            if (slots[o + 4] == hash && sameName(start + slots[o], start + slots[o + 1], pos, colon)) {
                throw error("duplicate field '" + excerpt(pos, colon) + "' (first on line " + slots[o + 3] + ")");
            }
        }
        slots[s] = pos - start;
        slots[s + 1] = colon - start;
        slots[s + 2] = eol - start;
        slots[s + 3] = (int) Math.min(lineNumber, Integer.MAX_VALUE);
        slots[s + 4] = hash;
    }

    /** The start of the paragraph being read, or -1; kept up to date when the buffer moves. */
    private int paragraphStart = -1;

    private void consume(int eol) {
        pos = eol < limit ? eol + 1 : eol;
        lineNumber++;
    }

    /**
     * The index of the newline ending the line at {@link #pos}, or {@link #limit} for a
     * last line without one; -1 at the end of the input. Reads more input as needed.
     */
    private int lineEnd() throws IOException {
        int scan = pos;
        int hi = 0;
        while (true) {
            byte[] b = buf;
            int lim = limit;
            int k = scan;
            while (k < lim && b[k] != '\n') {
                hi |= b[k];
                k++;
            }
            if (k - pos > limits.maxLineBytes()) {
                throw error("line is longer than " + limits.maxLineBytes() + " bytes");
            }
            if (k < lim || eof) {
                if (k == pos && eof && k == lim) {
                    return -1;
                }
                if (hi < 0) {
                    checkUtf8(pos, k);
                }
                return k;
            }
            scan = k - refill();
        }
    }

    /**
     * Reads more input, first moving the unconsumed bytes (and the paragraph being read)
     * to the front; returns how far they moved.
     */
    private int refill() throws IOException {
        int shift = paragraphStart >= 0 ? paragraphStart : pos;
        if (shift > 0) {
            System.arraycopy(buf, shift, buf, 0, limit - shift);
            limit -= shift;
            pos -= shift;
            if (paragraphStart >= 0) {
                paragraphStart -= shift;
            }
        }
        if (buf.length - limit < READ_CHUNK) {
            long cap = (long) limits.maxParagraphBytes() + limits.maxLineBytes() + 2L * READ_CHUNK;
            long wanted = Math.max((long) limit + READ_CHUNK, (long) buf.length * 2);
            if ((long) limit + READ_CHUNK > cap) {
                throw error("paragraph is larger than " + limits.maxParagraphBytes() + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(cap, wanted));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        return shift;
    }

    private void removeLine(int eol) {
        int next = eol < limit ? eol + 1 : eol;
        System.arraycopy(buf, next, buf, pos, limit - next);
        limit -= next - pos;
        lineNumber++;
    }

    private boolean isBlankLine(int from, int eol) {
        for (int k = from; k < eol; k++) {
            byte c = buf[k];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private boolean isComment(int from, int eol) {
        return limits.allowComments() && from < eol && buf[from] == '#';
    }

    private boolean sameName(int a, int aEnd, int b, int bEnd) {
        if (aEnd - a != bEnd - b) {
            return false;
        }
        for (int k = 0; k < aEnd - a; k++) {
            if (Paragraph.toLower(buf[a + k]) != Paragraph.toLower(buf[b + k])) {
                return false;
            }
        }
        return true;
    }

    /** Reports the first invalid UTF-8 sequence in {@code buf[from, to)}, if any. */
    private void checkUtf8(int from, int to) {
        int k = from;
        while (k < to) {
            int c = buf[k] & 0xff;
            int extra;
            int min;
            if (c < 0x80) {
                k++;
                continue;
            } else if (c >= 0xc2 && c <= 0xdf) {
                extra = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                extra = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                extra = 3;
                min = 0x10000;
            } else {
                reportUtf8(k - pos);
                return;
            }
            int cp = c & (0x3f >> extra);
            for (int e = 1; e <= extra; e++) {
                if (k + e >= to || (buf[k + e] & 0xc0) != 0x80) {
                    reportUtf8(k - pos);
                    return;
                }
                cp = (cp << 6) | (buf[k + e] & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                reportUtf8(k - pos);
                return;
            }
            k += extra + 1;
        }
    }

    private void reportUtf8(int column) {
        problems.add(new Problem(source, lineNumber, "invalid UTF-8 at byte " + (column + 1)
                + " of the line"));
    }

    private String excerpt(int from, int to) {
        int end = Math.min(to, from + 60);
        String s = new String(buf, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return end < to ? out + "..." : out.toString();
    }

    private ParagraphException error(String reason) {
        return new ParagraphException(source, lineNumber, reason);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
