package org.demi.web.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.OnDemandPool;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.CachingHttpContentFactory;
import org.eclipse.jetty.http.content.FileMappingHttpContentFactory;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The handler tree of {@code demi serve}, in one place:
 * <pre>
 * Server                            no Server version; Jetty's error pages with nosniff too;
 *  │                                  HTTPS (and plain HTTP beside it) or plain HTTP alone;
 *  │                                  idle connections closed, connections per source address capped
 *  └─ NoSniff                        X-Content-Type-Options: nosniff on every answer
 *   └─ MetricsAddress                at --metrics-listen's address only /metrics (MetricsHandler), to anyone
 *   └─ TransportSecurity             with HTTPS: HSTS, and pages over plain HTTP redirected to it
 *    └─ MinimumReadRate              a request body must keep arriving at a minimum rate
 *    └─ Sequence
 *      ├─ ContextHandler /debian        apt repository: published trees + on-demand pool files
 *      │   └─ RepositoryHandler          on-demand fetch, content types of extensionless files
 *      │       └─ ResourceHandler        ETag, Last-Modified, If-Modified-Since, Range, HEAD
 *      │           └─ SnapshotContentFactory   published path → immutable snapshot file, cached
 *      ├─ ContextHandler /push          PushHandler: inventories from push hosts, per-host tokens
 *      ├─ WebInterface                   pages, /api/v1 JSON, log-in; a session for everything (its own tree)
 *      └─ DefaultHandler                 404 for everything else (only without the web interface)
 * </pre>
 * Only symlinks that land inside the mirror's snapshots or on-demand directory are followed
 * (the {@code published/<upstream>} links themselves); anything else is refused, so a link
 * planted in a tree cannot expose the file system.
 */
public final class DemiServer {
    /** A connection on which nothing moves for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Bytes a second below which a request body is cut (after a few seconds' grace); far
     * below any working link, far above a trickle meant to hold a connection.
     */
    static final long MIN_READ_RATE = 1024;

    private DemiServer() {
    }

    /** Extensionless archive files: the Release family and indices are text, by-hash entries opaque. */
    static HttpContent withArchiveContentType(HttpContent content, String path) {
        if (content == null || content.getContentTypeValue() != null) {
            return content;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        String type = name.equals("InRelease") || name.equals("Release") || name.equals("Packages") || name.equals("Sources")
                ? "text/plain; charset=utf-8" : "application/octet-stream";
        HttpField field = new HttpField(HttpHeader.CONTENT_TYPE, type);
        return new HttpContent.Wrapper(content) {
            @Override
            public HttpField getContentType() {
                return field;
            }

            @Override
            public String getContentTypeValue() {
                return type;
            }
        };
    }

    private static ServerConnector connector(Server server, InetSocketAddress address, ConnectionsPerAddress perAddress,
            ConnectionFactory... factories) {
        ServerConnector c = new ServerConnector(server, factories);
        c.setHost(address.getHostString());
        c.setPort(address.getPort());
        c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        c.addBean(perAddress);
        return c;
    }

    /** What the push endpoint needs, and where it counts its answers. */
    public record Push(PushHandler.Hosts hosts, org.demi.compliance.host.Tokens tokens,
            org.demi.compliance.inventory.InventoryStore store, org.demi.web.metrics.Metrics metrics) {
        /** Counting for no one: a server without /metrics. */
        public Push(PushHandler.Hosts hosts, org.demi.compliance.host.Tokens tokens, org.demi.compliance.inventory.InventoryStore store) {
            this(hosts, tokens, store, new org.demi.web.metrics.Metrics());
        }
    }

    /** The connector of {@code --metrics-listen}, where only {@code /metrics} answers. */
    public static final String METRICS_CONNECTOR = "metrics";

    /**
     * The tree, listening on {@code listen}.
     *
     * @param push the push endpoint's parts, or none for a server without it
     * @param web  the web interface ({@link org.demi.web.ui.WebInterface}), or none for a server of the repository alone
     */
    public static Server build(Network network, MirrorStore store, OnDemandPool onDemand, Optional<Push> push,
            Optional<Handler> web) throws IOException {
        return build(network, store, onDemand, push, web, Optional.empty());
    }

    /**
     * The tree, with {@code metrics} answering {@code /metrics} to anyone at the network's
     * metrics address (the web interface answers it on the main one, behind its session gate).
     */
    public static Server build(Network network, MirrorStore store, OnDemandPool onDemand, Optional<Push> push,
            Optional<Handler> web, Optional<Handler> metrics) throws IOException {
        if (network.metrics().isPresent() && metrics.isEmpty()) {
            throw new IllegalArgumentException("a metrics address needs the metrics to serve there");
        }
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // no "Server: Jetty(12...)" for a scanner to match against
        http.setSendXPoweredBy(false);
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(network.connectionsPerAddress());
        if (network.tls().isPresent()) {
            HttpConfiguration https = new HttpConfiguration(http);
            https.addCustomizer(new SecureRequestCustomizer(false)); // any name or address the hosts use
            server.addConnector(connector(server, network.listen(), perAddress,
                    new SslConnectionFactory(network.tls().get().contextFactory(), HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https)));
            network.plainHttp().ifPresent(a -> server.addConnector(connector(server, a, perAddress, new HttpConnectionFactory(http))));
        } else {
            server.addConnector(connector(server, network.listen(), perAddress, new HttpConnectionFactory(http)));
        }
        network.metrics().ifPresent(a -> {
            ServerConnector c = connector(server, a, perAddress, new HttpConnectionFactory(http));
            c.setName(METRICS_CONNECTOR);
            server.addConnector(c);
        });

        Path published = store.publishedDir();
        Path ondemand = store.dataDir().resolve("mirror/ondemand");
        Files.createDirectories(published);
        Files.createDirectories(ondemand);
        Files.createDirectories(store.snapshotsDir());
        List<Path> allowed = List.of(store.snapshotsDir().toRealPath(), ondemand.toRealPath(), published.toRealPath());

        ContextHandler debian = new ContextHandler("/debian");
        debian.clearAliasChecks();
        debian.addAliasCheck((pathInContext, resource) -> {
            try {
                Path real = resource.getPath().toRealPath();
                return allowed.stream().anyMatch(real::startsWith);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
        ResourceFactory resources = ResourceFactory.of(server);
        Resource base = ResourceFactory.combine(resources.newResource(published), resources.newResource(ondemand));
        Resource mirrorDir = resources.newResource(store.snapshotsDir().toRealPath().getParent());
        ResourceHandler files = new ResourceHandler() {
            @Override
            protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
                HttpContent.Factory plain = new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), pool);
                HttpContent.Factory fallback = path -> withArchiveContentType(plain.getContent(path), path);
                HttpContent.Factory snapshotFiles = new FileMappingHttpContentFactory(
                        new ResourceHttpContentFactory(mirrorDir, getMimeTypes(), pool));
                CachingHttpContentFactory cache = new CachingHttpContentFactory(
                        path -> withArchiveContentType(snapshotFiles.getContent(path), path), pool);
                cache.setMaxCachedFileSize(4 << 20);
                cache.setMaxCacheSize(256L << 20);
                cache.setMaxCachedFiles(8192);
                return new SnapshotContentFactory(published, store.snapshotsDir().toAbsolutePath().normalize(), cache, fallback);
            }
        };
        files.setBaseResource(base);
        files.setDirAllowed(false);
        files.setEtags(true);
        files.setAcceptRanges(true);
        MimeTypes.Mutable mime = new MimeTypes.Mutable();
        mime.addMimeMapping("deb", "application/vnd.debian.binary-package");
        mime.addMimeMapping("udeb", "application/vnd.debian.binary-package");
        mime.addMimeMapping("dsc", "text/plain; charset=utf-8");
        mime.addMimeMapping("xz", "application/x-xz");
        mime.addMimeMapping("gz", "application/gzip");
        mime.addMimeMapping("bz2", "application/x-bzip2");
        mime.addMimeMapping("gpg", "application/pgp-signature");
        mime.addMimeMapping("asc", "application/pgp-keys");
        files.setMimeTypes(mime);
        debian.setHandler(new RepositoryHandler(store, onDemand, files));

        Handler.Sequence all = new Handler.Sequence(debian);
        if (push.isPresent()) {
            ContextHandler pushContext = new ContextHandler("/push");
            pushContext.setHandler(new PushHandler(push.get().hosts(), push.get().tokens(), push.get().store(), push.get().metrics()));
            all.addHandler(pushContext);
        }
        web.ifPresent(all::addHandler);
        all.addHandler(new DefaultHandler(false, false));
        Handler top = new MinimumReadRate(all, MIN_READ_RATE);
        if (network.tls().isPresent()) {
            ServerConnector secure = (ServerConnector) server.getConnectors()[0];
            top = new TransportSecurity(top, secure::getLocalPort);
        }
        if (metrics.isPresent()) {
            top = new MetricsAddress(top, metrics.get());
        }
        server.setHandler(new NoSniff(top));
        server.setErrorHandler(new ErrorHandler() {
            @Override
            protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                    Callback callback) throws IOException {
                // Jetty's own error pages too: the repository's, the push endpoint's, a 404.
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                super.generateResponse(request, response, code, message, cause, callback);
            }
        });
        return server;
    }
}
