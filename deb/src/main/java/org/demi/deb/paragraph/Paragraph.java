package org.demi.deb.paragraph;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One deb822 paragraph (a "stanza"): an ordered list of fields, as in Packages, Sources,
 * Release and dpkg status files (deb822(5), Debian Policy 5.1).
 *
 * <p>Field names are matched case-insensitively and kept as written. A paragraph keeps the
 * bytes it was read from and decodes a value only when asked, which is what makes reading
 * a whole archive index fast. The value of a field is the text after its colon, without
 * the blanks that surround it; continuation lines stay in it, each after a newline and
 * with its leading blank, as libapt returns them ({@code "short\n long line\n ."}).
 *
 * <p>Instances are immutable.
 */
public final class Paragraph {
    /** Per field: name start, colon, value end (exclusive, before the newline), line, name hash. */
    static final int SLOT = 5;

    private final String source;
    private final byte[] data;
    private final int[] slots;
    private final int count;

    Paragraph(String source, byte[] data, int[] slots, int count) {
        this.source = source;
        this.data = data;
        this.slots = slots;
        this.count = count;
    }

    /**
     * Whether this paragraph was read from exactly {@code bytes[from, to)}: its first line's
     * start to its last line's end, without the newline.
     */
    public boolean readFrom(byte[] bytes, int from, int to) {
        return Arrays.equals(data, 0, data.length, bytes, from, to);
    }

    /** Starts a paragraph built field by field, for writing new control files. */
    public static Builder builder() {
        return new Builder();
    }

    /** The name of the input this paragraph came from. */
    public String source() {
        return source;
    }

    /** The line this paragraph starts on (1-based). */
    public long line() {
        return count == 0 ? 0 : slots[3];
    }

    public int size() {
        return count;
    }

    /** The name of field {@code i}, as written. */
    public String name(int i) {
        int s = slot(i);
        return new String(data, slots[s], slots[s + 1] - slots[s], StandardCharsets.US_ASCII);
    }

    /** The value of field {@code i}; see the class comment for what it holds. */
    public String value(int i) {
        int s = slot(i);
        int from = slots[s + 1] + 1;
        int to = slots[s + 2];
        while (from < to && (data[from] == ' ' || data[from] == '\t')) {
            from++;
        }
        while (to > from && isSpace(data[to - 1])) {
            to--;
        }
        return new String(data, from, to - from, StandardCharsets.UTF_8);
    }

    /**
     * The first line of field {@code name}'s value (a Description's synopsis), without
     * building the rest; null when there is no such field.
     */
    public String firstLine(String name) {
        int i = indexOf(name);
        return i < 0 ? null : firstLine(i);
    }

    /** The first line of field {@code i}'s value. */
    public String firstLine(int i) {
        int s = slot(i);
        int from = slots[s + 1] + 1;
        int to = slots[s + 2];
        while (from < to && (data[from] == ' ' || data[from] == '\t')) {
            from++;
        }
        int end = from;
        while (end < to && data[end] != '\n') {
            end++;
        }
        while (end > from && isSpace(data[end - 1])) {
            end--;
        }
        return new String(data, from, end - from, StandardCharsets.UTF_8);
    }

    /** The text after the colon of field {@code i}, exactly as read. */
    public String rawValue(int i) {
        int s = slot(i);
        return new String(data, slots[s + 1] + 1, slots[s + 2] - slots[s + 1] - 1, StandardCharsets.UTF_8);
    }

    /** The line field {@code i} starts on. */
    public long line(int i) {
        return slots[slot(i) + 3];
    }

    public Field field(int i) {
        return new Field(name(i), value(i), line(i));
    }

    public List<Field> fields() {
        List<Field> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(field(i));
        }
        return list;
    }

    /** The index of the field named {@code name} (any case), or -1. */
    public int indexOf(String name) {
        int h = nameHash(name);
        int n = name.length();
        for (int i = 0, s = 0; i < count; i++, s += SLOT) {
            if (slots[s + 4] == h && slots[s + 1] - slots[s] == n && nameEquals(slots[s], name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A fixed set of field names, their hashes computed once, for {@link #find}: typed views
     * read a dozen fields of every stanza, and one pass over the fields beats a dozen.
     */
    public static final class Names {
        private final String[] names;
        private final int[] hashes;

        private Names(String[] names) {
            this.names = names.clone();
            this.hashes = new int[names.length];
            for (int k = 0; k < names.length; k++) {
                hashes[k] = nameHash(names[k]);
            }
        }

        public static Names of(String... names) {
            return new Names(names);
        }
    }

    /** For each of {@code wanted}, the index of its (first) field here, or -1; one pass over the fields. */
    public int[] find(Names wanted) {
        int n = wanted.names.length;
        int[] at = new int[n];
        java.util.Arrays.fill(at, -1);
        int missing = n;
        for (int i = 0, s = 0; i < count && missing > 0; i++, s += SLOT) {
            int h = slots[s + 4];
            int len = slots[s + 1] - slots[s];
            for (int k = 0; k < n; k++) {
                if (at[k] < 0 && wanted.hashes[k] == h && wanted.names[k].length() == len && nameEquals(slots[s], wanted.names[k])) {
                    at[k] = i;
                    missing--;
                    break;
                }
            }
        }
        return at;
    }

    /** The value of field {@code i}, or {@code fallback} when {@code i} is -1 (as {@link #find} says of a missing field). */
    public String valueOr(int i, String fallback) {
        return i < 0 ? fallback : value(i);
    }

    /** The value of field {@code i}, which must be present ({@code i >= 0}) and not empty. */
    public String required(int i, String name) {
        if (i < 0) {
            throw new ParagraphException(source, line(), "paragraph has no '" + name + "' field");
        }
        String value = value(i);
        if (value.isEmpty()) {
            throw new ParagraphException(source, line(i), "field '" + name + "' is empty");
        }
        return value;
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of the field named {@code name}, or {@code null} when there is none. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : value(i);
    }

    /** The value of the field named {@code name}, or {@code fallback} when there is none. */
    public String getOrDefault(String name, String fallback) {
        int i = indexOf(name);
        return i < 0 ? fallback : value(i);
    }

    /** The value of a field that must be present and not empty. */
    public String require(String name) {
        return required(indexOf(name), name);
    }

    /** The line a named field starts on, or the paragraph's line when it is absent. */
    public long lineOf(String name) {
        int i = indexOf(name);
        return i < 0 ? line() : line(i);
    }

    /**
     * The lines of a multi-line field such as {@code SHA256} or {@code Conffiles}: every
     * non-empty line of the value, stripped of surrounding blanks. Empty when absent.
     */
    public List<String> lines(String name) {
        String value = get(name);
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : value.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                lines.add(t);
            }
        }
        return lines;
    }

    /** An error about the field {@code name}, naming the line it is on. */
    public ParagraphException error(String name, String reason) {
        return new ParagraphException(source, lineOf(name), reason);
    }

    /** Writes field {@code i} in control-file form: name, colon, raw value, newline. */
    void writeField(int i, OutputStream out) throws IOException {
        int s = slot(i);
        out.write(data, slots[s], slots[s + 2] - slots[s]);
        out.write('\n');
    }

    private int slot(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("field " + i + " of " + count);
        }
        return i * SLOT;
    }

    private boolean nameEquals(int at, String name) {
        for (int k = 0; k < name.length(); k++) {
            int a = data[at + k];
            int b = name.charAt(k);
            if (a != b && toLower(a) != toLower(b)) {
                return false;
            }
        }
        return true;
    }

    static int toLower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static int nameHash(String name) {
        int h = 0;
        for (int k = 0; k < name.length(); k++) {
            h = 31 * h + toLower(name.charAt(k));
        }
        return h;
    }

    /** The paragraph in control-file form, as {@link ParagraphWriter} writes it. */
    @Override
    public String toString() {
        int end = count == 0 ? 0 : slots[(count - 1) * SLOT + 2];
        int start = count == 0 ? 0 : slots[0];
        return new String(data, start, end - start, StandardCharsets.UTF_8) + "\n";
    }

    /** Builds a paragraph from names and values, checking both as the reader would. */
    public static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<String> names = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends a field. A multi-line value has its continuation lines after newlines,
         * each starting with a blank (an empty line in a long description is written
         * {@code " ."}); a value that starts with a newline, as {@code SHA256} does, has an
         * empty first line.
         */
        public Builder add(String name, String value) {
            checkName(name);
            for (String existing : names) {
                if (existing.equalsIgnoreCase(name)) {
                    throw new IllegalArgumentException("duplicate field '" + name + "'");
                }
            }
            String[] lines = value.split("\n", -1);
            for (int k = 1; k < lines.length; k++) {
                String line = lines[k];
                if (line.isEmpty() || (line.charAt(0) != ' ' && line.charAt(0) != '\t') || line.isBlank()) {
                    throw new IllegalArgumentException("field '" + name + "': continuation line " + k
                            + " must start with a blank and hold text: '" + line + "'");
                }
            }
            names.add(name);
            text.append(name).append(':');
            if (!lines[0].isEmpty()) {
                text.append(' ');
            }
            text.append(value).append('\n');
            return this;
        }

        /** Appends every field of {@code other} except those named in {@code except}. */
        public Builder addAll(Paragraph other, String... except) {
            outer:
            for (int i = 0; i < other.size(); i++) {
                String name = other.name(i);
                for (String skip : except) {
                    if (skip.equalsIgnoreCase(name)) {
                        continue outer;
                    }
                }
                add(name, other.value(i));
            }
            return this;
        }

        public Paragraph build() {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            try {
                Paragraph p = new ParagraphReader(new ByteArrayInputStream(bytes), "(built)").next();
                return p == null ? new Paragraph("(built)", new byte[0], new int[0], 0) : p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void checkName(String name) {
            if (name.isEmpty() || name.charAt(0) == '#' || name.charAt(0) == '-') {
                throw new IllegalArgumentException("invalid field name '" + name + "'");
            }
            for (int k = 0; k < name.length(); k++) {
                char c = name.charAt(k);
                if (c <= ' ' || c >= 0x7f || c == ':') {
                    throw new IllegalArgumentException("invalid field name '" + name + "'");
                }
            }
        }
    }
}
