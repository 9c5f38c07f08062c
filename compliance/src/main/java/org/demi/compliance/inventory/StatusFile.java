package org.demi.compliance.inventory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.BadInputException;

/** A dpkg status file ({@code /var/lib/dpkg/status}) as a list of entries. */
public final class StatusFile {
    /** A busy development machine's status file is a few MB; this bounds what a host can send. */
    public static final int MAX_BYTES = 64 << 20;

    private StatusFile() {
    }

    /**
     * Every stanza, installed or not.
     *
     * @throws org.demi.deb.paragraph.ParagraphException when a stanza is malformed or a
     *     limit is exceeded, naming the line
     */
    public static List<StatusEntry> parse(byte[] bytes, String name) {
        if (bytes.length > MAX_BYTES) {
            throw new BadInputException(name + ": " + bytes.length + " bytes, more than the " + MAX_BYTES
                    + " a status file may have");
        }
        List<StatusEntry> entries = new ArrayList<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(bytes), name)) {
            for (Paragraph p; (p = r.next()) != null; ) {
                entries.add(StatusEntry.of(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to read
        }
        return entries;
    }
}
