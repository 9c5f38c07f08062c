package org.demi.mirror.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Reads files of one archive, by path below its root ({@code dists/bookworm-security/InRelease}). */
public interface Fetcher {
    /**
     * Opens a file. The caller caps how much it reads; a missing file is a
     * {@link FetchException} with {@code notFound()}.
     */
    InputStream open(String path) throws IOException;

    /** Where {@code path} is read from, for messages. */
    String locate(String path);

    /** The fetcher for an archive URI: HTTP(S) with the given timeouts and proxy, or a directory for {@code file:}. */
    static Fetcher of(URI root, Duration connectTimeout, Duration stallTimeout, ProxySettings proxy) {
        if ("file".equals(root.getScheme())) {
            return new DirectoryFetcher(Path.of(root));
        }
        return new HttpFetcher(root, connectTimeout, stallTimeout, proxy);
    }
}
