package org.demi.mirror.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * Fetches over HTTP(S): a connect timeout, and a stall timeout that fails a transfer when no
 * byte arrives for that long (so a slow but moving download of a big file still completes).
 */
public final class HttpFetcher implements Fetcher {
    private final URI root;
    private final int connectMillis;
    private final int stallMillis;
    private final ProxySettings proxy;

    public HttpFetcher(URI root, Duration connectTimeout, Duration stallTimeout, ProxySettings proxy) {
        this.root = root.getPath().endsWith("/") ? root : URI.create(root + "/");
        this.connectMillis = (int) connectTimeout.toMillis();
        this.stallMillis = (int) stallTimeout.toMillis();
        this.proxy = proxy;
    }

    @Override
    public InputStream open(String path) throws IOException {
        URI uri = root.resolve(path);
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(proxy.proxyFor(uri));
        c.setConnectTimeout(connectMillis);
        c.setReadTimeout(stallMillis);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(true);
        c.setRequestProperty("User-Agent", "Demi-mirror/0.1");
        int code;
        try {
            code = c.getResponseCode();
        } catch (SocketTimeoutException e) {
            c.disconnect();
            throw new FetchException(uri + ": no answer within " + Duration.ofMillis(Math.max(connectMillis, stallMillis))
                    .toSeconds() + " s (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            c.disconnect();
            throw new FetchException(uri + ": " + describe(e, uri), e);
        }
        if (code == 404 || code == 410) {
            c.disconnect();
            throw new FetchException(uri + ": not found (HTTP " + code + ")", true);
        }
        if (code != 200) {
            c.disconnect();
            throw new FetchException(uri + ": HTTP " + code + " " + c.getResponseMessage(), false);
        }
        InputStream in = c.getInputStream();
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (SocketTimeoutException e) {
                    throw stalled(uri, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    throw stalled(uri, e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    c.disconnect();
                }
            }
        };
    }

    /** What went wrong, in words: Java's messages are sometimes only a host name. */
    public static String describe(IOException e, URI uri) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            return "the host name " + uri.getHost() + " does not resolve (no DNS, or no network to it)";
        }
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused" + (m.isEmpty() ? "" : " (" + m + ")");
        }
        if (e instanceof java.net.NoRouteToHostException) {
            return "no route to " + uri.getHost();
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "the TLS handshake failed (" + m + ")";
        }
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    private FetchException stalled(URI uri, SocketTimeoutException e) {
        return new FetchException(uri + ": the transfer stalled (no data for " + stallMillis / 1000.0 + " s)", e);
    }

    @Override
    public String locate(String path) {
        return root.resolve(path).toString();
    }
}
