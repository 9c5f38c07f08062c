package org.demi.compliance.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A configuration file kept parsed, and parsed again only when it changed on disk (time,
 * size or inode): the hosts file, known_hosts and the push tokens are consulted for every
 * host of a sweep or every push, and re-reading them each time would cost the fleet's size
 * squared.
 */
public final class ParsedFile<T> {
    /** Reads the file; called only when it exists. */
    public interface Parser<T> {
        T parse(Path file) throws IOException;
    }

    private final Path file;
    private final Parser<T> parser;
    private final T absent;
    private T value;
    private String stamp;

    /** @param absent what the file means when it does not exist */
    public ParsedFile(Path file, Parser<T> parser, T absent) {
        this.file = file;
        this.parser = parser;
        this.absent = absent;
    }

    public Path file() {
        return file;
    }

    public synchronized T get() throws IOException {
        if (!Files.exists(file)) {
            value = null;
            stamp = null;
            return absent;
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String now = a.lastModifiedTime() + " " + a.size() + " " + a.fileKey();
        if (value == null || !now.equals(stamp)) {
            value = parser.parse(file);
            stamp = now;
        }
        return value;
    }

    /** Forgets the parsed value, for a writer that just replaced the file. */
    public synchronized void invalidate() {
        value = null;
        stamp = null;
    }
}
