package org.demi.deb.paragraph;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes paragraphs in control-file form. A paragraph that was read is written with the
 * bytes it was read from (spacing after colons, trailing blanks and all), so reading and
 * writing a file gives back the same bytes; a built one is written canonically
 * ({@code Name: value}).
 */
public final class ParagraphWriter implements Closeable, Flushable {

    /** How paragraphs are set apart. */
    public enum Style {
        /**
         * A blank line after every paragraph, the last one included, as in Packages, Sources
         * and dpkg status files.
         */
        TERMINATED,
        /** A blank line between paragraphs only, as in Release files and debian/control. */
        SEPARATED
    }

    private final OutputStream out;
    private final Style style;
    private boolean first = true;

    public ParagraphWriter(OutputStream out, Style style) {
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
        this.style = style;
    }

    public void write(Paragraph paragraph) throws IOException {
        if (!first && style == Style.SEPARATED) {
            out.write('\n');
        }
        first = false;
        for (int i = 0; i < paragraph.size(); i++) {
            paragraph.writeField(i, out);
        }
        if (style == Style.TERMINATED) {
            out.write('\n');
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
