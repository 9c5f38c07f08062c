package org.demi.deb.version;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Debian package version, {@code [epoch:]upstream_version[-debian_revision]}, as
 * Debian Policy 5.6.12 and deb-version(7) define it, ordered exactly as dpkg orders it.
 *
 * <p>Parsing follows dpkg's {@code parseversion()}: surrounding blanks are ignored; the
 * epoch is everything before the first colon and must be a non-negative number that
 * fits an {@code int}; the revision is everything after the <em>last</em> hyphen; the
 * upstream part must start with a digit and may hold only alphanumerics and
 * {@code . + - ~ :}, the revision only alphanumerics and {@code . + ~}.
 *
 * <p>Ordering follows dpkg's {@code verrevcmp()}: epochs compare numerically; then the
 * upstream parts, then the revisions, are compared as alternating runs of non-digits
 * and digits. Non-digit runs compare character by character where {@code ~} sorts
 * before everything, even the end of the string, and letters sort before non-letters;
 * digit runs compare numerically. A missing revision therefore equals {@code 0}.
 *
 * <p>This is deliberately not a record: two versions are {@link #equals equal} when dpkg
 * says {@code eq} ({@code 1.09 = 1.9}, {@code 1.0 = 1.0-0}, {@code 0:1.0 = 1.0}), which
 * component-wise record equality would get wrong. {@link #toString()} gives the text as
 * written.
 *
 * <p>Versions are shared between threads (an archive's candidates, the keys of concurrent
 * maps) and are immutable in every way a reader can observe. Three fields are memos filled
 * on first use, and each is safe to read while another thread fills it:
 * <ul>
 * <li>the {@link #sortKey() sort key} is an immutable {@link Key} whose array is reached through
 * a final field, so by the Java memory model (JLS 17.5) a thread that sees the {@code Key} sees
 * every byte of it; a thread that sees {@code null} builds an equal one;</li>
 * <li>the hash and the comparison count are single {@code int}s, read and written whole (JLS
 * 17.7): the hash is the same value whoever computes it (as {@link String#hashCode()}), and a
 * lost increment of the count only builds the key one comparison later.</li>
 * </ul>
 * None of them uses a fence or a volatile access: a version compared once and dropped stays
 * as cheap as the parse that made it.
 */
public final class Version implements Comparable<Version> {

    /** dpkg's {@code order()}: the weight of a character in a non-digit run. */
    private static final int[] ORDER = new int[256];

    static {
        for (int c = 0; c < 256; c++) {
            if (c >= '0' && c <= '9') {
                ORDER[c] = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                ORDER[c] = c;
            } else if (c == '~') {
                ORDER[c] = -1;
            } else {
                ORDER[c] = c + 256;
            }
        }
    }

    private static final int BLANK = 4;
    private static final int UPSTREAM_OK = 1;
    private static final int REVISION_OK = 2;
    /** Per ASCII character: allowed in an upstream version, in a revision, or a blank. */
    private static final int[] KIND = new int[128];

    static {
        for (int c = 0; c < 128; c++) {
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            int k = 0;
            if (alnum || c == '.' || c == '+' || c == '~') {
                k = UPSTREAM_OK | REVISION_OK;
            } else if (c == '-' || c == ':') {
                k = UPSTREAM_OK;
            }
            KIND[c] = c == ' ' || c == '\t' ? BLANK : k;
        }
    }

    private final String text;
    private final int epoch;
    /** The version's characters; upstream and revision are ranges of it. */
    private final byte[] bytes;
    private final int upstreamStart;
    private final int upstreamEnd;
    private final int revisionStart;
    private final int revisionEnd;
    /** {@link #hashCode()}, 0 until computed. */
    private int hash;
    /** {@link #sortKey()}, built once this version is compared a second time (or asked for it). */
    private Key key;
    /** How often this version was compared before it had a key. */
    private int compares;

    /** A sort key, immutable: its bytes are published with it through the final field. */
    private static final class Key {
        final byte[] bytes;

        Key(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private Version(String text, int epoch, byte[] bytes, int upstreamStart, int upstreamEnd,
            int revisionStart, int revisionEnd) {
        this.text = text;
        this.epoch = epoch;
        this.bytes = bytes;
        this.upstreamStart = upstreamStart;
        this.upstreamEnd = upstreamEnd;
        this.revisionStart = revisionStart;
        this.revisionEnd = revisionEnd;
    }

    /**
     * Parses a version as Debian Policy requires it, refusing everything dpkg refuses and
     * everything dpkg only warns about.
     *
     * @throws InvalidVersionException with dpkg's reason
     */
    public static Version parse(String text) {
        return parse(text, true);
    }

    /**
     * Parses a version as dpkg reads its own database: the defects dpkg only warns about
     * (an upstream part not starting with a digit, an unexpected ASCII character) are
     * accepted, so that one odd third-party package does not make a whole host unreadable.
     * Hard errors (empty parts, a bad epoch, embedded spaces, non-ASCII) are still refused.
     *
     * <p>Every host's inventory is read this way, so the versions are shared: the same text
     * gives the same object (up to a bound, see {@link VersionPool}).
     */
    public static Version parseTolerant(String text) {
        return VersionPool.INSTALLED.tolerant(text);
    }

    /** {@link #parseTolerant}, always a new object. */
    static Version parseUnshared(String text) {
        return parse(text, false);
    }

    /** Whether {@code text} is a version that {@link #parse} accepts. */
    public static boolean isValid(String text) {
        try {
            parse(text, true);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    private static Version parse(String original, boolean strict) {
        int start = 0;
        int end = original.length();
        while (start < end && isBlank(original.charAt(start))) {
            start++;
        }
        if (start == end) {
            throw new InvalidVersionException(original, "version string is empty", false);
        }
        while (isBlank(original.charAt(end - 1))) {
            end--;
        }
        String text = (start == 0 && end == original.length()) ? original : original.substring(start, end);
        int n = text.length();
        byte[] bytes = new byte[n];
        int colon = -1;
        int hyphen = -1;
        // One pass: copy, find the first colon and the last hyphen, and note the first character
        // not allowed in an upstream version and the last not allowed in a revision; where the
        // parts lie is only known at the end.
        int firstBadUpstream = n;
        int lastBadRevision = -1;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                throw new InvalidVersionException(original, "non-ASCII character in version", false);
            }
            bytes[i] = (byte) c;
            int kind = KIND[c];
            if (kind != (UPSTREAM_OK | REVISION_OK)) {
                // The rare characters: blanks, the colon and hyphens, and anything not allowed.
                if (kind == BLANK) {
                    throw new InvalidVersionException(original, "version string has embedded spaces", false);
                }
                if (c == ':') {
                    if (colon < 0) {
                        colon = i;
                    }
                } else if (c == '-') {
                    hyphen = i;
                }
                if ((kind & UPSTREAM_OK) == 0 && firstBadUpstream == n) {
                    firstBadUpstream = i;
                }
                lastBadRevision = i;
            }
        }

        int epoch = 0;
        int upstreamStart = 0;
        if (colon >= 0) {
            epoch = parseEpoch(original, text, colon);
            upstreamStart = colon + 1;
            if (upstreamStart == n) {
                throw new InvalidVersionException(original, "nothing after colon in version number", false);
            }
            if (text.charAt(0) == '+' || text.charAt(0) == '-') {
                // Written as dpkg-query writes it back: +1:2.0-1 is 1:2.0-1, -0:1.0 is 1.0.
                String normal = (epoch == 0 ? "" : epoch + ":") + text.substring(upstreamStart);
                try {
                    return parse(normal, strict);
                } catch (InvalidVersionException e) {
                    throw new InvalidVersionException(original, e.reason(), e.dpkgWarnsOnly());
                }
            }
        }
        int upstreamEnd = n;
        int revisionStart = n;
        if (hyphen >= upstreamStart) {
            upstreamEnd = hyphen;
            revisionStart = hyphen + 1;
            if (revisionStart == n) {
                throw new InvalidVersionException(original, "revision number is empty", false);
            }
        }
        if (upstreamStart == upstreamEnd) {
            throw new InvalidVersionException(original, "version number is empty", false);
        }
        if (!isDigit(bytes[upstreamStart])) {
            if (strict) {
                throw new InvalidVersionException(original, "version number does not start with digit", true);
            }
        } else if (strict) {
            // The epoch is digits and its colon is allowed, so the first bad character overall
            // is the upstream's first, unless it lies beyond the upstream part.
            if (firstBadUpstream < upstreamEnd) {
                throw new InvalidVersionException(original, "invalid character in version number", true);
            }
        }
        if (strict && lastBadRevision >= revisionStart) {
            throw new InvalidVersionException(original, "invalid character in revision number", true);
        }
        return new Version(text, epoch, bytes, upstreamStart, upstreamEnd, revisionStart, n);
    }

    /**
     * The epoch as dpkg reads it, with C's {@code strtol}: an optional sign, then digits, which
     * must end at the colon. No digit at all is an empty epoch ({@code x:1.0}, {@code +:1}), a
     * digit run followed by anything else is not a number; {@code +1} is 1 and {@code -0} is 0,
     * while any other negative value is refused.
     */
    private static int parseEpoch(String original, String text, int colon) {
        int i = 0;
        boolean negative = false;
        if (colon > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        if (i == colon || !isDigit((byte) text.charAt(i))) {
            throw new InvalidVersionException(original, "epoch in version is empty", false);
        }
        if (!allDigits(text, i, colon)) {
            throw new InvalidVersionException(original, "epoch in version is not number", false);
        }
        long value = 0;
        boolean overflow = false;
        for (; i < colon; i++) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > Integer.MAX_VALUE) {
                overflow = true;
                value = Integer.MAX_VALUE;
            }
        }
        if (negative && value != 0) {
            throw new InvalidVersionException(original, "epoch in version is negative", false);
        }
        if (overflow) {
            throw new InvalidVersionException(original, "epoch in version is too big", false);
        }
        return (int) value;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The epoch; 0 when none is written. */
    public int epoch() {
        return epoch;
    }

    /** The upstream version: between the epoch's colon and the last hyphen. */
    public String upstreamVersion() {
        return new String(bytes, upstreamStart, upstreamEnd - upstreamStart, StandardCharsets.US_ASCII);
    }

    /** The Debian revision after the last hyphen, or the empty string when there is none. */
    public String debianRevision() {
        return new String(bytes, revisionStart, revisionEnd - revisionStart, StandardCharsets.US_ASCII);
    }

    /** Whether a Debian revision is written (a native package has none). */
    public boolean hasDebianRevision() {
        return revisionEnd > revisionStart;
    }

    /**
     * dpkg's ordering. The sign of the result is what counts: negative when this version
     * is earlier than {@code other}.
     */
    @Override
    public int compareTo(Version other) {
        if (other == this) {
            return 0; // shared versions (parseTolerant) meet themselves in every map lookup
        }
        // A version compared again and again (a sort, an archive's candidates) compares by its
        // sort key, one vectorised unsigned byte comparison; one compared once does not pay for it.
        byte[] k = keyIfWorthIt();
        byte[] o = other.keyIfWorthIt();
        if (k != null && o != null) {
            return Arrays.compareUnsigned(k, o);
        }
        return compareDirect(other);
    }

    /** The sort key when it exists or this is at least the second comparison; else null. */
    private byte[] keyIfWorthIt() {
        Key k = key;
        return k != null ? k.bytes : ++compares > 1 ? ownKey() : null;
    }

    /** dpkg's comparison itself, on the version's text. */
    int compareDirect(Version other) {
        if (epoch != other.epoch) {
            return epoch < other.epoch ? -1 : 1;
        }
        int c = verrevcmp(bytes, upstreamStart, upstreamEnd, other.bytes, other.upstreamStart, other.upstreamEnd);
        if (c != 0) {
            return c;
        }
        return verrevcmp(bytes, revisionStart, revisionEnd, other.bytes, other.revisionStart, other.revisionEnd);
    }

    /**
     * An order-preserving binary form: for any two versions, the unsigned lexicographic order
     * of their keys is dpkg's order, and equal versions ({@code 1.09}, {@code 1.9}) have equal
     * keys. This is what lets an index answer {@code version << 3.0.11-1~deb12u2} as a range
     * query. The layout: the epoch as four big-endian bytes, then the upstream version, then
     * the revision, each as the runs {@code verrevcmp()} walks:
     * <ul>
     * <li>a non-digit run, one byte per character with dpkg's weights: {@code ~} 0x01, letters
     * 0x03-0x3C in ASCII order, other characters 0x40 + ASCII (all after letters), and the
     * run's end 0x02 (after {@code ~}, before everything else, as dpkg's end-of-string);</li>
     * <li>a digit run, as its count of significant digits (one byte, or 0xFF and four bytes
     * from 255 on) then those digits, so that longer numbers sort later and leading zeros
     * do not count;</li>
     * <li>after the last digit run, 0x02: where the other version may go on, an ended one
     * sorts as dpkg's end of string does.</li>
     * </ul>
     */
    public byte[] sortKey() {
        return ownKey().clone();
    }

    private byte[] ownKey() {
        Key held = key;
        if (held == null) {
            // At most: every character, and per run (one more run than characters) its end and a
            // five-byte count, and each part's final end.
            int m = upstreamEnd - upstreamStart + revisionEnd - revisionStart;
            byte[] out = new byte[4 + m + 6 * (m + 2) + 2];
            out[0] = (byte) (epoch >>> 24);
            out[1] = (byte) (epoch >>> 16);
            out[2] = (byte) (epoch >>> 8);
            out[3] = (byte) epoch;
            int n = encodePart(bytes, upstreamStart, upstreamEnd, out, 4);
            n = encodePart(bytes, revisionStart, revisionEnd, out, n);
            // Two threads may both build it; each publishes an equal, complete key.
            held = new Key(Arrays.copyOf(out, n));
            key = held;
        }
        return held.bytes;
    }

    private static final byte END = 0x02;

    /** Writes one part's runs into {@code out} from {@code at}; returns where it stopped. */
    private static int encodePart(byte[] s, int i, int end, byte[] out, int at) {
        do {
            while (i < end && !isDigit(s[i])) {
                int c = s[i++];
                out[at++] = (byte) (c == '~' ? 0x01 : (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? c - 62 : 0x40 + c);
            }
            out[at++] = END;
            while (i < end && s[i] == '0') {
                i++;
            }
            int digits = i;
            while (i < end && isDigit(s[i])) {
                i++;
            }
            int len = i - digits;
            if (len < 255) {
                out[at++] = (byte) len;
            } else {
                out[at++] = (byte) 0xFF;
                out[at++] = (byte) (len >>> 24);
                out[at++] = (byte) (len >>> 16);
                out[at++] = (byte) (len >>> 8);
                out[at++] = (byte) len;
            }
            System.arraycopy(s, digits, out, at, len);
            at += len;
        } while (i < end);
        out[at++] = END;
        return at;
    }

    /** Whether {@code this RELATION other} holds, for example {@code a.satisfies(Relation.EARLIER, b)}. */
    public boolean satisfies(Relation relation, Version other) {
        return relation.test(compareTo(other));
    }

    /** Compares two version strings, parsing both strictly. */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    /**
     * A port of dpkg's {@code verrevcmp()} over byte ranges; the end of a range plays the
     * part of C's terminating NUL, whose order is 0.
     */
    static int verrevcmp(byte[] a, int i, int aEnd, byte[] b, int j, int bEnd) {
        // Identical leading bytes decide nothing, except inside a digit run, whose whole
        // length counts: skip them, then back up to the start of the digit run they end in.
        // Restarting there is the state dpkg's loop is in after an equal prefix.
        // Versions are short: a plain loop beats the vectorised mismatch's set-up here.
        int same = 0;
        int common = Math.min(aEnd - i, bEnd - j);
        while (same < common && a[i + same] == b[j + same]) {
            same++;
        }
        if (same == common && aEnd - i == bEnd - j) {
            return 0;
        }
        while (same > 0 && isDigit(a[i + same - 1])) {
            same--;
        }
        i += same;
        j += same;
        while (i < aEnd || j < bEnd) {
            int firstDiff = 0;
            while ((i < aEnd && !isDigit(a[i])) || (j < bEnd && !isDigit(b[j]))) {
                int ac = i < aEnd ? ORDER[a[i] & 0xff] : 0;
                int bc = j < bEnd ? ORDER[b[j] & 0xff] : 0;
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < aEnd && a[i] == '0') {
                i++;
            }
            while (j < bEnd && b[j] == '0') {
                j++;
            }
            while (i < aEnd && j < bEnd && isDigit(a[i]) && isDigit(b[j])) {
                if (firstDiff == 0) {
                    firstDiff = a[i] - b[j];
                }
                i++;
                j++;
            }
            if (i < aEnd && isDigit(a[i])) {
                return 1;
            }
            if (j < bEnd && isDigit(b[j])) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    /** Equal when dpkg considers the versions equal; consistent with {@link #compareTo}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    /**
     * A hash of the canonical form that {@link #equals} implies: leading zeros of every
     * digit run dropped, and a final run of zeros dropped altogether ({@code 1.0 = 1.}).
     */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * (31 * epoch + canonicalHash(upstreamStart, upstreamEnd))
                    + canonicalHash(revisionStart, revisionEnd);
            if (h == 0) {
                h = 1; // 0 marks "not computed yet"
            }
            hash = h;
        }
        return h;
    }

    private int canonicalHash(int from, int to) {
        int h = 0;
        int i = from;
        while (i < to) {
            if (isDigit(bytes[i])) {
                while (i < to && bytes[i] == '0') {
                    i++;
                }
                int significant = i;
                while (i < to && isDigit(bytes[i])) {
                    i++;
                }
                if (significant == i) {
                    // An all-zero run: equal to "0", and to nothing at the very end.
                    if (i < to) {
                        h = 31 * h + '0';
                    }
                } else {
                    for (int k = significant; k < i; k++) {
                        h = 31 * h + bytes[k];
                    }
                }
            } else {
                h = 31 * h + bytes[i];
                i++;
            }
        }
        return h;
    }

    /** The version as written (without surrounding blanks). */
    @Override
    public String toString() {
        return text;
    }
}
