package org.demi.web.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A POST of the message's fields as JSON, signed: {@code X-Demi-Signature: sha256=HEX}, the
 * HMAC-SHA256 of the body under the shared secret, so the receiver can tell Demi's messages
 * from anyone else's (as GitHub's webhooks do). Any 2xx answer is delivery.
 */
public record WebhookChannel(URI url, byte[] secret) implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    public static final String SIGNATURE = "X-Demi-Signature";

    public WebhookChannel {
        secret = secret.clone();
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} under {@code secret}. */
    public static String signature(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public void send(Message m) throws IOException {
        byte[] body = JSON.writeValueAsBytes(m.fields());
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Demi-Event", m.kind())
                .header(SIGNATURE, signature(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(describe() + " answered " + r.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(describe() + ": interrupted", e);
        }
    }

    @Override
    public String describe() {
        return "webhook " + url;
    }
}
