package org.demi.web.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.PushTokens;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryException;
import org.demi.compliance.inventory.InventoryReader;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
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
 */
public final class PushHandler extends Handler.Abstract {
    private static final Pattern PATH = Pattern.compile("/v1/hosts/([A-Za-z0-9][A-Za-z0-9._-]{0,252})/(checksum|inventory)");

    /** What the handler needs: the declared hosts (read at each request, so edits apply at once), tokens, store. */
    public interface Hosts {
        List<HostSpec> hosts() throws IOException;
    }

    private final Hosts hosts;
    private final PushTokens tokens;
    private static final System.Logger LOG = System.getLogger(PushHandler.class.getName());

    private final InventoryStore store;

    /** @param store the fleet's store, which tells the index of every inventory it records */
    PushHandler(Hosts hosts, PushTokens tokens, InventoryStore store) {
        this.hosts = hosts;
        this.tokens = tokens;
        this.store = store;
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
        boolean pushHost = hosts.hosts().stream().anyMatch(h -> h.host().equals(host) && h.collect() == CollectMethod.PUSH);
        if (!pushHost || !tokens.verify(host, auth.substring("Bearer ".length()).strip())) {
            return reply(response, callback, HttpStatus.FORBIDDEN_403, "this token may not push for " + host);
        }
        long length = request.getLength();
        if (length > InventoryReader.MAX_COMPRESSED) {
            return reply(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "an inventory may be at most " + InventoryReader.MAX_COMPRESSED + " bytes");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (m.group(2).equals("checksum")) {
                String checksum = new String(in.readNBytes(200), StandardCharsets.US_ASCII).strip();
                if (!checksum.matches("[0-9a-f]{64}")) {
                    return reply(response, callback, HttpStatus.BAD_REQUEST_400, "the body must be a SHA256 in hex");
                }
                return reply(response, callback, HttpStatus.OK_200,
                        store.confirmUnchanged(host, "push", checksum).isPresent() ? "unchanged" : "send");
            }
            Inventory inventory;
            try {
                inventory = InventoryReader.read(in);
            } catch (InventoryException e) {
                store.fail(host, "push", Outcome.REJECTED, e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "push: " + host + ": rejected: " + e.getMessage());
                return reply(response, callback, HttpStatus.BAD_REQUEST_400, "rejected: " + e.getMessage());
            }
            HistoryEntry e = store.accept(host, "push", inventory);
            return reply(response, callback, HttpStatus.OK_200,
                    e.outcome() == Outcome.STORED ? "stored " + inventory.checksum() : "unchanged");
        }
    }

    private static boolean reply(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
