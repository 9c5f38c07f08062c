package org.demi.web.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.OnDemandPool;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of the static files of {@code /debian/}: fetches a pool file on demand when the
 * published indices name it and it is not yet on disk.
 */
final class RepositoryHandler extends Handler.Wrapper {
    private final MirrorStore store;
    private final OnDemandPool onDemand;

    RepositoryHandler(MirrorStore store, OnDemandPool onDemand, Handler files) {
        super(files);
        this.store = store;
        this.onDemand = onDemand;
    }

    private static final System.Logger LOG = System.getLogger(RepositoryHandler.class.getName());

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String[] parts = path.split("/", 3);
        if (parts.length == 3 && parts[2].startsWith("pool/")) {
            Path inTree = store.publishedDir().resolve(parts[1]).resolve(parts[2]);
            if (!Files.exists(inTree)) {
                try {
                    onDemand.ensure(parts[1], parts[2]);
                } catch (IOException | RuntimeException e) {
                    // A fetch or a check that failed is the upstream's doing; anything else is a bug.
                    LOG.log(e instanceof IOException || e instanceof org.demi.deb.BadInputException ? System.Logger.Level.WARNING
                            : System.Logger.Level.ERROR, "on-demand " + parts[1] + "/" + parts[2] + ": " + e.getMessage(),
                            e instanceof IOException ? null : e);
                    // The reason, which may name the upstream's address, goes to the log, not to anyone who asks.
                    Response.writeError(request, response, callback, HttpStatus.BAD_GATEWAY_502,
                            "the upstream file could not be fetched or failed verification; the server's log says why");
                    return true;
                }
            }
        }
        return super.handle(request, response, callback);
    }
}
