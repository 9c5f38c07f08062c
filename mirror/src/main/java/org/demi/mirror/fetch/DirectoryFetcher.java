package org.demi.mirror.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** An archive copied to disk ({@code demi mirror import DIR}, or a {@code file:} URI). */
public final class DirectoryFetcher implements Fetcher {
    private final Path root;

    public DirectoryFetcher(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root)) {
            throw new FetchException("path '" + path + "' leaves the archive directory " + root, false);
        }
        if (Files.isDirectory(p)) {
            throw new FetchException(p + " is a directory", true);
        }
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new FetchException(p + " does not exist", true);
        }
    }

    @Override
    public String locate(String path) {
        return root.resolve(path).toString();
    }
}
