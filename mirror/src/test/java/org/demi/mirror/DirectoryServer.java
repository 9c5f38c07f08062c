package org.demi.mirror;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** An upstream for tests: the files under a directory, served over HTTP on 127.0.0.1, 404 for anything else. */
public final class DirectoryServer {
    private DirectoryServer() {
    }

    /** Serves {@code dir} on a free port of 127.0.0.1; the caller stops it. */
    public static HttpServer start(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Path f = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        server.start();
        return server;
    }
}
