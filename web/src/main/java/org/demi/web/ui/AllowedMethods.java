package org.demi.web.ui;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The web interface reads with GET (and HEAD) and takes forms with POST; anything else is refused with 405. */
final class AllowedMethods extends Handler.Wrapper {
    AllowedMethods(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method) && !HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
            Answer.text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed\n");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
