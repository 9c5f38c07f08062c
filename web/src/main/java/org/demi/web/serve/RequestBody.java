package org.demi.web.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body without holding a thread while it arrives: each chunk is taken when
 * Jetty has it, up to a cap, and the whole body must be there by a deadline. A client that
 * trickles its body therefore costs a connection and a buffer, never one of the threads that
 * serve the apt repository and the pages. Exactly one of the two outcomes is called, once.
 */
final class RequestBody implements Runnable {
    /** Why a body was not read. */
    enum Failure {
        /** Longer than the cap. */
        TOO_LARGE,
        /** Not all there by the deadline, or arriving more slowly than the server's minimum rate. */
        TOO_SLOW,
        /** The connection failed. */
        BROKEN
    }

    private final Request request;
    private final long max;
    private final Consumer<byte[]> done;
    private final Consumer<Failure> failed;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile Scheduler.Task timer;

    private RequestBody(Request request, long max, Consumer<byte[]> done, Consumer<Failure> failed) {
        this.request = request;
        this.max = max;
        this.done = done;
        this.failed = failed;
    }

    /** Starts reading; {@code done} or {@code failed} is called on a Jetty or scheduler thread. */
    static void read(Request request, long max, Duration deadline, Consumer<byte[]> done, Consumer<Failure> failed) {
        RequestBody body = new RequestBody(request, max, done, failed);
        body.timer = request.getComponents().getScheduler().schedule(() -> body.finish(null, Failure.TOO_SLOW),
                deadline.toMillis(), TimeUnit.MILLISECONDS);
        body.run();
    }

    /** Takes what has arrived, and asks to be called again when more does. */
    @Override
    public void run() {
        while (!over.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                // MinimumReadRate and the idle timeout fail a body that arrives too slowly with a TimeoutException.
                finish(null, chunk.getFailure() instanceof java.util.concurrent.TimeoutException ? Failure.TOO_SLOW : Failure.BROKEN);
                return;
            }
            ByteBuffer b = chunk.getByteBuffer();
            if (bytes.size() + (long) b.remaining() > max) {
                chunk.release();
                finish(null, Failure.TOO_LARGE);
                return;
            }
            byte[] part = new byte[b.remaining()];
            b.get(part);
            bytes.write(part, 0, part.length);
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                finish(bytes.toByteArray(), null);
                return;
            }
        }
    }

    private void finish(byte[] body, Failure failure) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        Scheduler.Task t = timer;
        if (t != null) {
            t.cancel();
        }
        if (failure == null) {
            done.accept(body);
        } else {
            failed.accept(failure);
        }
    }
}
