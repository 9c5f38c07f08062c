package org.demi.web.serve;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every answer of the server says {@code X-Content-Type-Options: nosniff}: a browser must take
 * a file of the repository or a push answer for the type it is served as, never guess a page
 * or a script from its bytes.
 */
final class NoSniff extends Handler.Wrapper {
    NoSniff(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        return super.handle(request, response, callback);
    }
}
