package org.demi.deb.paragraph;

/**
 * Bounds on what a {@link ParagraphReader} accepts, so that a hostile or broken file
 * cannot exhaust memory; the reader never buffers more than one paragraph plus one line.
 *
 * @param maxLineBytes      longest line, without its newline (Debian's longest real
 *                          lines, {@code Provides} of Rust library packages, are ~75 KB)
 * @param maxFields         most fields in one paragraph
 * @param maxParagraphBytes largest paragraph (the main archive's Release is ~150 KB)
 * @param allowComments     whether lines starting with {@code #} are comments, as in
 *                          {@code .sources} and {@code debian/control} files; in Packages,
 *                          Release and status files they are not allowed
 */
public record Limits(int maxLineBytes, int maxFields, int maxParagraphBytes, boolean allowComments) {

    /** Generous bounds for any archive index or status file. */
    public static final Limits DEFAULT = new Limits(1 << 20, 1000, 16 << 20, false);

    public Limits {
        if (maxLineBytes < 16 || maxFields < 1 || maxParagraphBytes < maxLineBytes) {
            throw new IllegalArgumentException("limits too small: line " + maxLineBytes + ", fields "
                    + maxFields + ", paragraph " + maxParagraphBytes);
        }
    }

    public Limits withComments() {
        return new Limits(maxLineBytes, maxFields, maxParagraphBytes, true);
    }
}
