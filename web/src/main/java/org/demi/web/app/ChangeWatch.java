package org.demi.web.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Notices files that another process changed (a {@code demi hosts add} or {@code demi
 * advisories import} beside the running server) by their modification time and size, checked
 * every few seconds: simpler and more robust than a file watch, which misses renames into
 * place on some file systems and needs a thread per directory.
 */
final class ChangeWatch {
    private final List<Path> files;
    private final Map<Path, String> seen = new HashMap<>();

    /** Watches these files; what they hold now counts as seen. */
    ChangeWatch(List<Path> files) throws IOException {
        this.files = List.copyOf(files);
        changed();
    }

    /** Whether any of the files changed (appeared, went, or was rewritten) since the last call. */
    boolean changed() throws IOException {
        boolean any = false;
        for (Path f : files) {
            String stamp = stamp(f);
            if (!Objects.equals(seen.put(f, stamp), stamp)) {
                any = true;
            }
        }
        return any;
    }

    private static String stamp(Path f) throws IOException {
        try {
            FileTime t = Files.getLastModifiedTime(f);
            return t.toMillis() + "/" + Files.size(f) + "/" + Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (NoSuchFileException e) {
            return "absent";
        }
    }
}
