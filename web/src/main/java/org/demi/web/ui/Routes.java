package org.demi.web.ui;

import java.util.List;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Hands a request to the handler of the best matching path spec (exact, then the longest
 * prefix, then {@code /} for everything else, as servlet mappings do), with the request as it
 * came: Jetty's own PathMappingsHandler wraps the request, and its wrapper has no context path
 * to give the handlers below.
 */
final class Routes extends Handler.AbstractContainer {
    private final PathMappings<Handler> mappings = new PathMappings<>();

    /** Maps {@code pathSpec} ({@code /login}, {@code /api/*}, {@code /}) to {@code handler}. */
    Routes add(String pathSpec, Handler handler) {
        mappings.put(PathSpec.from(pathSpec), handler);
        addBean(handler);
        return this;
    }

    @Override
    public List<Handler> getHandlers() {
        return mappings.streamResources().map(m -> m.getResource()).distinct().toList();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        MatchedResource<Handler> match = mappings.getMatched(Request.getPathInContext(request));
        return match != null && match.getResource().handle(request, response, callback);
    }
}
