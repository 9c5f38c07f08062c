package org.demi.web.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.Tokens;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryException;
import org.demi.compliance.inventory.InventoryReader;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Where push hosts send their inventory, each with its own token:
 * <pre>
 * POST /push/v1/hosts/HOST/checksum    body: the SHA256 from demi-inventory --checksum
 *                                      answers "unchanged" (recorded) or "send"
 * POST /push/v1/hosts/HOST/inventory   body: demi-inventory's stream; answers "stored SHA256",
 *                                      "unchanged", or 400 with the reason it was rejected
 * Authorization: Bearer TOKEN          (demi hosts token HOST)
 * </pre>
 * A token opens only its own host's door, and only for hosts declared {@code Collect: push}.
 * Answers are plain text, for shell clients.
 *
 * <p>One token must not be able to hold the server: a body is read without a thread
 * ({@link RequestBody}) and must be complete within {@link #BODY_DEADLINE} (else 408); a host
 * has at most {@link #PER_HOST} pushes in flight and the server {@link #IN_FLIGHT} (else 429
 * or 503, at once, with Retry-After); and what arrived is parsed and stored on the push
 * endpoint's own few threads, never on those that serve the apt repository and the pages.
 */
public final class PushHandler extends Handler.Abstract {
    private static final Pattern PATH = Pattern.compile("/v1/hosts/([A-Za-z0-9][A-Za-z0-9._-]{0,252})/(checksum|inventory)");
    private static final System.Logger LOG = System.getLogger(PushHandler.class.getName());
    /** A whole inventory, from the request's start: a real one is a few hundred KB. */
    static final Duration BODY_DEADLINE = Duration.ofSeconds(60);
    /** A host pushes once an hour; two at once covers a retry overlapping a push still running. */
    static final int PER_HOST = 2;
    /** Pushes being received or stored at once, all hosts together (each buffers at most its body). */
    static final int IN_FLIGHT = 64;
    private static final int RETRY_AFTER_SECONDS = 60;

    /** What the handler needs: the declared hosts (read at each request, so edits apply at once), tokens, store. */
    public interface Hosts {
        /** The declaration of the host of this name, if there is one. */
        java.util.Optional<HostSpec> host(String name) throws IOException;
    }

    private final Hosts hosts;
    private final Tokens tokens;
    private final InventoryStore store;
    private final org.demi.web.metrics.Metrics metrics;
    private final Map<String, Integer> perHost = new HashMap<>();
    private int inFlight;
    private ThreadPoolExecutor storing;

    /** @param store the fleet's store, which tells the index of every inventory it records */
    PushHandler(Hosts hosts, Tokens tokens, InventoryStore store, org.demi.web.metrics.Metrics metrics) {
        this.hosts = hosts;
        this.tokens = tokens;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() throws Exception {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        storing = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "push");
            t.setDaemon(true);
            return t;
        });
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        storing.shutdown();
        storing.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Matcher m = PATH.matcher(Request.getPathInContext(request));
        if (!m.matches()) {
            return reply(response, callback, HttpStatus.NOT_FOUND_404, "no such push endpoint");
        }
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use POST");
        }
        String host = m.group(1);
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ")) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"demi push\"");
            return reply(response, callback, HttpStatus.UNAUTHORIZED_401, "a host token is required (demi hosts token HOST)");
        }
        boolean pushHost = hosts.host(host).filter(h -> h.collect() == CollectMethod.PUSH).isPresent();
        if (!pushHost || !tokens.verify(host, auth.substring("Bearer ".length()).strip())) {
            return reply(response, callback, HttpStatus.FORBIDDEN_403, "this token may not push for " + host);
        }
        boolean checksum = m.group(2).equals("checksum");
        long max = checksum ? 200 : InventoryReader.MAX_COMPRESSED;
        if (request.getLength() > max) {
            return reply(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, checksum
                    ? "the body must be a SHA256 in hex" : "an inventory may be at most " + max + " bytes");
        }
        Refusal busy = admit(host);
        if (busy != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            LOG.log(System.Logger.Level.WARNING, "push: " + host + ": refused, " + busy.why());
            return reply(response, callback, busy.status(), "busy: " + busy.why() + "; try again later");
        }
        Callback finished = Callback.from(() -> release(host), callback);
        RequestBody.read(request, max, BODY_DEADLINE, body -> {
            try {
                storing.execute(() -> receive(host, checksum, body, response, finished));
            } catch (RejectedExecutionException e) {
                reply(response, finished, HttpStatus.SERVICE_UNAVAILABLE_503, "the server is stopping");
            }
        }, failure -> {
            switch (failure) {
                case TOO_LARGE -> reply(response, finished, HttpStatus.PAYLOAD_TOO_LARGE_413,
                        "an inventory may be at most " + max + " bytes");
                case TOO_SLOW -> {
                    String why = "the body did not arrive within " + BODY_DEADLINE.toSeconds() + " s, or arrived too slowly";
                    LOG.log(System.Logger.Level.WARNING, "push: " + host + ": " + why);
                    reply(response, finished, HttpStatus.REQUEST_TIMEOUT_408, why);
                }
                case BROKEN -> finished.failed(new IOException("push from " + host + ": the connection broke"));
            }
        });
        return true;
    }

    /** Parses and stores what arrived, on the push threads. */
    private void receive(String host, boolean checksum, byte[] body, Response response, Callback callback) {
        try {
            if (checksum) {
                String sum = new String(body, StandardCharsets.US_ASCII).strip();
                if (!sum.matches("[0-9a-f]{64}")) {
                    reply(response, callback, HttpStatus.BAD_REQUEST_400, "the body must be a SHA256 in hex");
                    return;
                }
                reply(response, callback, HttpStatus.OK_200, store.confirmUnchanged(host, "push", sum).isPresent() ? "unchanged" : "send");
                return;
            }
            Inventory inventory;
            try {
                inventory = InventoryReader.read(new ByteArrayInputStream(body));
            } catch (InventoryException e) {
                store.fail(host, "push", Outcome.REJECTED, e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "push: " + host + ": rejected: " + e.getMessage());
                reply(response, callback, HttpStatus.BAD_REQUEST_400, "rejected: " + e.getMessage());
                return;
            }
            HistoryEntry e = store.accept(host, "push", inventory);
            reply(response, callback, HttpStatus.OK_200, e.outcome() == Outcome.STORED ? "stored " + inventory.checksum() : "unchanged");
        } catch (IOException | RuntimeException e) {
            // Not the host's fault (a full disk, a failing store): said plainly, logged with its cause.
            LOG.log(System.Logger.Level.ERROR, "push: " + host + ": could not be stored: " + e, e);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            reply(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "the server could not store the inventory now ("
                    + plainReason(e) + "); try again later");
        }
    }

    /** The reason without Java's class names: "No space left on device". */
    static String plainReason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "an internal error" : t.getMessage();
        return m.contains("No space left on device") ? "no space left on the server's disk" : m.replaceAll("[\\r\\n]+", " ");
    }

    /** Why a push was not taken, and the status that says so. */
    private record Refusal(int status, String why) {
    }

    /** Takes a place for a push of {@code host}, or says why there is none. */
    private synchronized Refusal admit(String host) {
        int mine = perHost.getOrDefault(host, 0);
        if (mine >= PER_HOST) {
            return new Refusal(HttpStatus.TOO_MANY_REQUESTS_429, "this host already has " + mine + " pushes in flight");
        }
        if (inFlight >= IN_FLIGHT) {
            return new Refusal(HttpStatus.SERVICE_UNAVAILABLE_503, "the server is receiving " + inFlight + " pushes");
        }
        perHost.put(host, mine + 1);
        inFlight++;
        return null;
    }

    private synchronized void release(String host) {
        perHost.computeIfPresent(host, (h, n) -> n == 1 ? null : n - 1);
        inFlight--;
    }

    /** Answers, and counts the push by how it ended (a checksum probe's "send" or "unchanged" counts as checked). */
    private boolean reply(Response response, Callback callback, int status, String text) {
        metrics.push(status >= 500 ? "failed" : status >= 400 ? "refused" : text.startsWith("stored ") ? "stored"
                : text.equals("send") ? "checked" : "unchanged");
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
