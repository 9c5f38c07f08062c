package org.demi.compliance.inventory;

import java.util.List;
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
        return StatusStanzas.SHARED.parse(bytes, name);
    }
}
