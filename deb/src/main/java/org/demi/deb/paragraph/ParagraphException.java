package org.demi.deb.paragraph;

import org.demi.deb.DebFormatException;

/** A control file that breaks deb822 syntax or one of the reader's limits, with its line. */
public final class ParagraphException extends DebFormatException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;

    public ParagraphException(String source, long line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
    }

    /** The name of the input (a file name, or a description of the stream). */
    public String source() {
        return source;
    }

    /** The 1-based line the problem was found on. */
    public long line() {
        return line;
    }
}
