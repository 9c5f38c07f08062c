package org.demi.web.serve;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * When the server speaks HTTPS: answers over it carry HSTS, and over plain HTTP only the apt
 * repository (apt checks the archive's signatures) and the push endpoint (each host has its
 * own token) are served; a page asked for over plain HTTP is redirected to HTTPS, so no
 * password or session crosses the network in clear.
 */
final class TransportSecurity extends Handler.Wrapper {
    /** A year, as browsers' preload lists ask. */
    static final String HSTS = "max-age=31536000";

    private final java.util.function.IntSupplier httpsPort;

    /** @param httpsPort the HTTPS connector's port, as bound (asked at each redirect: it may be chosen at start) */
    TransportSecurity(Handler next, java.util.function.IntSupplier httpsPort) {
        super(next);
        this.httpsPort = httpsPort;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.isSecure()) {
            response.getHeaders().put(HttpHeader.STRICT_TRANSPORT_SECURITY, HSTS);
            return super.handle(request, response, callback);
        }
        String path = Request.getPathInContext(request);
        if (path.startsWith("/debian/") || path.startsWith("/push/")) {
            return super.handle(request, response, callback);
        }
        String query = request.getHttpURI().getQuery();
        int port = httpsPort.getAsInt();
        String location = "https://" + hostOnly(Request.getServerName(request)) + (port == 443 ? "" : ":" + port) + path
                + (query == null ? "" : "?" + query);
        response.setStatus(HttpStatus.PERMANENT_REDIRECT_308);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        callback.succeeded();
        return true;
    }

    /** An IPv6 literal needs its brackets back in a URL. */
    private static String hostOnly(String name) {
        return name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name;
    }
}
