package org.demi.mirror.pgp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * An OpenPGP key that signs repositories: the server's own key for curated publishing,
 * and the upstream keys tests make for themselves. RSA 3072 with SHA512 signatures, which
 * every gpgv from Debian oldstable on accepts.
 */
public final class SigningKey {
    private final PGPSecretKeyRing secret;

    private SigningKey(PGPSecretKeyRing secret) {
        this.secret = secret;
    }

    /**
     * Makes a new key.
     *
     * @param created  its creation time (from the injected clock)
     * @param lifetime how long it stays valid, or {@code null} for no expiry
     */
    public static SigningKey generate(String userId, Instant created, Duration lifetime, int bits) {
        try {
            RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
            gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), bits, 100));
            BcPGPKeyPair pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, gen.generateKeyPair(),
                    Date.from(created));
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
            hashed.setSignatureCreationTime(false, Date.from(created));
            if (lifetime != null) {
                hashed.setKeyExpirationTime(false, lifetime.toSeconds());
            }
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA512), null);
            return new SigningKey(rings.generateSecretKeyRing());
        } catch (PGPException e) {
            throw new SignatureException("cannot generate a signing key: " + e.getMessage(), e);
        }
    }

    /** Reads an unprotected secret key as {@link #secretArmored()} wrote it. */
    public static SigningKey parse(byte[] armored, String name) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            return new SigningKey(new PGPSecretKeyRing(in, new BcKeyFingerprintCalculator()));
        } catch (IOException | PGPException | RuntimeException e) {
            throw new SignatureException("signing key " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    public String fingerprint() {
        return Keyring.fingerprint(secret.getPublicKey());
    }

    /** The public key, armored, for {@code Signed-By} or a keyring file. */
    public byte[] publicArmored() {
        return armor(out -> publicKeyRing().encode(out));
    }

    /** The public key in binary form, as in {@code /usr/share/keyrings/*.gpg}. */
    public byte[] publicBinary() {
        try {
            return publicKeyRing().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The secret key, armored and unprotected: store it readable by the server only. */
    public byte[] secretArmored() {
        return armor(secret::encode);
    }

    public Keyring keyring() {
        return Keyring.parse(publicBinary(), "key " + fingerprint());
    }

    PGPPublicKeyRing publicKeyRing() {
        java.util.List<PGPPublicKey> keys = new java.util.ArrayList<>();
        secret.getPublicKeys().forEachRemaining(keys::add);
        return new PGPPublicKeyRing(keys);
    }

    /** A clearsigned {@code InRelease} of {@code text} (which should end with a newline), signed now with SHA512. */
    public byte[] clearsign(byte[] text, Instant now) {
        return clearsign(text, now, HashAlgorithmTags.SHA512);
    }

    /** As {@link #clearsign(byte[], Instant)}, with the digest chosen (tests use SHA1 to be refused). */
    public byte[] clearsign(byte[] text, Instant now, int hashAlgorithm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + 2048);
        out.writeBytes((ClearsignedMessage.BEGIN_MESSAGE + "\nHash: " + hashName(hashAlgorithm) + "\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == '\n') {
                if (i == text.length && start == i) {
                    break;
                }
                if (start < i && text[start] == '-') {
                    out.write('-');
                    out.write(' ');
                }
                out.write(text, start, i - start);
                out.write('\n');
                start = i + 1;
            }
        }
        // Sign exactly what the splitter will check.
        byte[] placeholder = out.toByteArray();
        byte[] canonical = ClearsignedMessage.split(concat(placeholder, dummySignature()), "new InRelease").canonical();
        byte[] signature = sign(canonical, PGPSignature.CANONICAL_TEXT_DOCUMENT, now, hashAlgorithm);
        out.writeBytes(signature);
        return out.toByteArray();
    }

    /** A detached, armored signature ({@code Release.gpg}) of {@code data}. */
    public byte[] detachSign(byte[] data, Instant now) {
        return sign(data, PGPSignature.BINARY_DOCUMENT, now, HashAlgorithmTags.SHA512);
    }

    private byte[] sign(byte[] data, int type, Instant now, int hashAlgorithm) {
        try {
            PGPPrivateKey key = secret.getSecretKey().extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(secret.getPublicKey().getAlgorithm(), hashAlgorithm),
                    secret.getPublicKey());
            gen.init(type, key);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(now));
            hashed.setIssuerFingerprint(false, secret.getPublicKey());
            gen.setHashedSubpackets(hashed.generate());
            gen.update(data);
            PGPSignature sig = gen.generate();
            return armor(sig::encode);
        } catch (PGPException e) {
            throw new SignatureException("cannot sign: " + e.getMessage(), e);
        }
    }

    private interface Encoder {
        void encode(java.io.OutputStream out) throws IOException;
    }

    private static byte[] armor(Encoder encoder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
            encoder.encode(armored);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] dummySignature() {
        return (ClearsignedMessage.BEGIN_SIGNATURE + "\n" + ClearsignedMessage.END_SIGNATURE + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String hashName(int algorithm) {
        return switch (algorithm) {
            case HashAlgorithmTags.SHA1 -> "SHA1";
            case HashAlgorithmTags.SHA256 -> "SHA256";
            case HashAlgorithmTags.SHA384 -> "SHA384";
            case HashAlgorithmTags.SHA512 -> "SHA512";
            default -> throw new IllegalArgumentException("unsupported digest " + algorithm);
        };
    }
}
