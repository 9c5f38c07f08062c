package org.demi.compliance.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.demi.deb.io.Durable;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.ParsedFile;

/**
 * Bearer tokens by name: the push hosts' ({@code <data>/keys/push-tokens}, by host) and the
 * users' API tokens ({@code <data>/keys/api-tokens}, by user). Only each token's SHA256 is kept,
 * one {@code name sha256} line each, so the file lets nobody in; a token is shown once, when it
 * is made, and making a new one revokes the old.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path file;
    private final ParsedFile<Map<String, String>> parsed;
    private final Consumer<String> checkName;

    /** @param checkName refuses a name that may not hold a token (bad input) */
    public Tokens(Path file, Consumer<String> checkName) {
        this.file = file;
        this.parsed = new ParsedFile<>(file, Tokens::parse, Map.of());
        this.checkName = checkName;
    }

    /** The push hosts' tokens, by host name. */
    public static Tokens forPushHosts(Path file) {
        return new Tokens(file, InventoryStore::checkHost);
    }

    /** Makes (or replaces) {@code host}'s token and returns it; 256 random bits, URL-safe. */
    public String issue(String host) throws IOException {
        return issue(List.of(host)).get(host);
    }

    /**
     * Makes (or replaces) the tokens of {@code hosts}, by host, in one write of the file: a fleet
     * of many thousand push hosts gets its tokens at once, not one rewrite of the file each. Every
     * name is checked before anything is written.
     */
    public synchronized Map<String, String> issue(Collection<String> hosts) throws IOException {
        hosts.forEach(checkName);
        Map<String, String> made = new LinkedHashMap<>();
        Map<String, String> all = read();
        for (String host : hosts) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            made.put(host, token);
            all.put(host, hash(token));
        }
        write(all);
        return java.util.Collections.unmodifiableMap(made);
    }

    /** Forgets {@code host}'s token; whether it had one. */
    public synchronized boolean revoke(String host) throws IOException {
        Map<String, String> all = read();
        if (all.remove(host) == null) {
            return false;
        }
        write(all);
        return true;
    }

    /** Whether {@code token} is {@code host}'s; compared in constant time. */
    public boolean verify(String host, String token) throws IOException {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return false;
        }
        String expected;
        synchronized (this) {
            expected = parsed.get().get(host);
        }
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                hash(token).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whose {@code token} it is, if anyone's: every entry is compared, each in constant time. */
    public Optional<String> nameOf(String token) throws IOException {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        byte[] wanted = hash(token).getBytes(StandardCharsets.US_ASCII);
        Map<String, String> all;
        synchronized (this) {
            all = parsed.get();
        }
        Optional<String> found = Optional.empty();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (MessageDigest.isEqual(e.getValue().getBytes(StandardCharsets.US_ASCII), wanted)) {
                found = Optional.of(e.getKey());
            }
        }
        return found;
    }

    /** A copy of the file's tokens, by host. */
    private Map<String, String> read() throws IOException {
        return new LinkedHashMap<>(parsed.get());
    }

    private static Map<String, String> parse(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[1].matches("[0-9a-f]{64}")) {
                out.put(f[0], f[1]);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private void write(Map<String, String> all) throws IOException {
        StringBuilder b = new StringBuilder();
        all.forEach((h, s) -> b.append(h).append(' ').append(s).append('\n'));
        Durable.write(file, b.toString().getBytes(StandardCharsets.US_ASCII));
        parsed.invalidate();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
