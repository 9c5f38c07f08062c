package org.demi.web.serve;

import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A request body must keep arriving at a minimum rate: once {@link #GRACE_NANOS} have passed
 * since it was first asked for, a body averaging fewer than {@code bytesPerSecond} is failed
 * with a {@link TimeoutException} (its reader answers 408). Counted per request: Jetty's own
 * {@code MinimumDataRateHandler} counts the bytes of all requests together, so any honest
 * traffic beside a trickle hides it, and Jetty 12 no longer enforces
 * {@code HttpConfiguration}'s rate at all. A body that stops altogether meets the idle timeout.
 */
final class MinimumReadRate extends Handler.Wrapper {
    static final long GRACE_NANOS = 5_000_000_000L;

    private final long bytesPerSecond;

    MinimumReadRate(Handler next, long bytesPerSecond) {
        super(next);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new Measured(request), response, callback);
    }

    private final class Measured extends Request.Wrapper {
        private long firstDemand;
        private long bytes;
        private Content.Chunk failure;

        Measured(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) {
                return failure;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.hasRemaining()) {
                bytes += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long now = System.nanoTime();
            if (firstDemand == 0) {
                firstDemand = now;
            } else if (now - firstDemand > GRACE_NANOS && bytes * 1_000_000_000L / (now - firstDemand) < bytesPerSecond) {
                failure = Content.Chunk.from(new TimeoutException("the request body arrived at "
                        + bytes * 1_000_000_000L / (now - firstDemand) + " bytes/s, less than the " + bytesPerSecond + " required"));
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }
    }
}
