package org.demi.web.serve;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * At the {@code --metrics-listen} address, {@code /metrics} answers to anyone and nothing else
 * answers at all (404): that address is for a Prometheus on a management network, not a second
 * way into the pages. Requests to the other addresses go on down the tree.
 */
final class MetricsAddress extends Handler.Wrapper {
    private final Handler metrics;

    MetricsAddress(Handler next, Handler metrics) {
        super(next);
        this.metrics = metrics;
        addBean(metrics);
    }

    /** The metrics handler is not below this one in the tree, only held by it: it is told the server too. */
    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        metrics.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!DemiServer.METRICS_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName())) {
            return super.handle(request, response, callback);
        }
        if (Request.getPathInContext(request).equals("/metrics") && metrics.handle(request, response, callback)) {
            return true;
        }
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
    }
}
