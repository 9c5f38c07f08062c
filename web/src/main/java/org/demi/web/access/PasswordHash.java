package org.demi.web.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.demi.deb.BadInputException;

/**
 * Passwords hashed with Argon2id (RFC 9106), memory-hard, by Bouncy Castle, and kept in the
 * PHC string format that the reference {@code argon2} tool and libargon2 print:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH} (unpadded base64). The parameters travel
 * with each hash, so stronger ones can be adopted later without invalidating stored hashes.
 */
public final class PasswordHash {
    /**
     * 19 MiB, 2 passes, 1 lane: OWASP's recommended configuration for Argon2id, a few tens of
     * milliseconds here. It was 64 MiB and 3 passes (RFC 9106's second option), half a second
     * of a core a guess on this machine kind: under a flood of guesses, an honest log-in then
     * needed more CPU than two busy cores could give it within a second. Hashes made with those
     * parameters still verify: they travel with the hash.
     */
    static final int MEMORY_KIB = 19456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private PasswordHash() {
    }

    public static String hash(String password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return encode(MEMORY_KIB, ITERATIONS, PARALLELISM, salt, derive(password, MEMORY_KIB, ITERATIONS, PARALLELISM, salt, HASH_BYTES));
    }

    static String encode(int memory, int iterations, int parallelism, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + memory + ",t=" + iterations + ",p=" + parallelism + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(hash);
    }

    /** Whether the password is the one this PHC string was made from; compared in constant time. */
    public static boolean verify(String password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            throw new BadInputException("not an Argon2id hash in PHC format");
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (memory < 8 * parallelism || memory > 4 << 20 || iterations < 1 || parallelism < 1) {
            throw new BadInputException("Argon2id parameters out of range: m=" + memory + ",t=" + iterations + ",p=" + parallelism);
        }
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = derive(password, memory, iterations, parallelism, salt, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    static byte[] derive(String password, int memory, int iterations, int parallelism, byte[] salt, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
