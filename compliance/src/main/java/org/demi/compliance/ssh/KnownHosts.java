package org.demi.compliance.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.demi.deb.io.Durable;
import org.demi.compliance.inventory.ParsedFile;

/**
 * The server's known_hosts file, in OpenSSH's format ({@code [address]:port type key}, or
 * {@code address type key} on port 22). Only keys the administrator trusted with
 * {@code demi hosts trust} are in it; an unknown or changed key is refused.
 */
public final class KnownHosts {
    private final Path file;
    private final ParsedFile<Map<String, List<Key>>> parsed;

    public KnownHosts(Path file) {
        this.file = file;
        this.parsed = new ParsedFile<>(file, KnownHosts::parse, Map.of());
    }

    public Path file() {
        return file;
    }

    /** A host key as presented: its type ({@code ssh-ed25519}) and its public blob. */
    public record Key(String type, byte[] blob) {
        public String fingerprint() {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The type is the first string inside the blob (RFC 4253, 6.6). */
        static Key of(byte[] blob) {
            if (blob.length < 4) {
                return new Key("unknown", blob);
            }
            int n = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
            String type = n > 0 && n <= 64 && 4 + n <= blob.length ? new String(blob, 4, n, StandardCharsets.US_ASCII) : "unknown";
            return new Key(type, blob);
        }
    }

    /** What known_hosts says of a key: known, unknown, or a different key of the same type on record. */
    public enum Check { KNOWN, UNKNOWN, CHANGED }

    public static String hostId(String address, int port) {
        return port == 22 ? address : "[" + address + "]:" + port;
    }

    public synchronized List<Key> keysOf(String hostId) throws IOException {
        return parsed.get().getOrDefault(hostId, List.of());
    }

    private static Map<String, List<Key>> parse(Path file) throws IOException {
        Map<String, List<Key>> m = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 3 || f[0].startsWith("#") || f[0].startsWith("@")) {
                continue;
            }
            Key k;
            try {
                k = new Key(f[1], Base64.getDecoder().decode(f[2]));
            } catch (IllegalArgumentException e) {
                continue; // not a key; ignored like OpenSSH ignores it
            }
            for (String id : f[0].split(",")) {
                m.computeIfAbsent(id, x -> new ArrayList<>()).add(k);
            }
        }
        return m;
    }

    public Check check(String hostId, Key presented) throws IOException {
        List<Key> keys = keysOf(hostId);
        if (keys.stream().anyMatch(k -> Arrays.equals(k.blob(), presented.blob()))) {
            return Check.KNOWN;
        }
        return keys.stream().anyMatch(k -> k.type().equals(presented.type())) ? Check.CHANGED : Check.UNKNOWN;
    }

    /** Records {@code key} as the host's key of its type, replacing an older one of that type. */
    public synchronized void trust(String hostId, Key key) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split("\\s+");
                boolean same = f.length >= 3 && Arrays.asList(f[0].split(",")).contains(hostId) && f[1].equals(key.type());
                if (!same) {
                    lines.add(line);
                }
            }
        }
        lines.add(hostId + " " + key.type() + " " + Base64.getEncoder().encodeToString(key.blob()));
        Durable.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
        parsed.invalidate();
    }

    /**
     * A JSch repository for one connection that answers from this file and remembers what it
     * was shown and what it answered, so a refusal can be reported precisely.
     */
    final class Probe implements HostKeyRepository {
        volatile Key presented;
        volatile Check result;

        @Override
        public int check(String host, byte[] key) {
            presented = Key.of(key);
            try {
                result = KnownHosts.this.check(host, presented);
            } catch (IOException e) {
                result = Check.UNKNOWN;
            }
            return switch (result) {
                case KNOWN -> OK;
                case CHANGED -> CHANGED;
                case UNKNOWN -> NOT_INCLUDED;
            };
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // Keys are added only by trust(), never during a connection.
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return file.toString();
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            // Tells JSch which key types to prefer for a host: the ones on record.
            try {
                List<HostKey> out = new ArrayList<>();
                for (Key k : keysOf(host)) {
                    out.add(new HostKey(host, HostKey.GUESS, k.blob()));
                }
                return out.stream().filter(k -> type == null || k.getType().equals(type)).toArray(HostKey[]::new);
            } catch (IOException | com.jcraft.jsch.JSchException e) {
                return new HostKey[0];
            }
        }
    }

    Probe probe() {
        return new Probe();
    }
}
