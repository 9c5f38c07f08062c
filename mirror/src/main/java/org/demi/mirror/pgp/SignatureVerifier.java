package org.demi.mirror.pgp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks OpenPGP signatures of Release files the way apt judges gpgv's report
 * (apt's methods/gpgv.cc):
 * <ul>
 * <li>a signature that fails the cryptographic check ({@code BADSIG}) rejects the file,
 * whatever other signatures say;</li>
 * <li>signatures by keys outside the keyring ({@code NO_PUBKEY}), by expired or revoked keys,
 * expired signatures, and signatures over a weak digest (MD5, SHA1, RIPEMD160) do not count;</li>
 * <li>the file is trusted when at least one signature counts.</li>
 * </ul>
 * Keys are judged at the injected clock's "now", as gpgv does; a subkey counts only with a
 * valid binding signature from its primary key that allows signing.
 */
public final class SignatureVerifier {
    /** A signature made further than this ahead of "now" is treated as a bad clock or a forgery. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

    private final Keyring keyring;
    private final Clock clock;

    public SignatureVerifier(Keyring keyring, Clock clock) {
        this.keyring = keyring;
        this.clock = clock;
    }

    /** Splits and checks an {@code InRelease}; the result's text is the Release inside it. */
    public Verified verifyClearsigned(byte[] inRelease, String source) {
        ClearsignedMessage m = ClearsignedMessage.split(inRelease, source);
        return check(m.text(), m.canonical(), signatures(m.signature(), source), source);
    }

    /** Checks a {@code Release} against its detached {@code Release.gpg} (armored or binary). */
    public Verified verifyDetached(byte[] data, byte[] signature, String source) {
        return check(data, data, signatures(signature, source + ".gpg"), source);
    }

    private static List<PGPSignature> signatures(byte[] block, String source) {
        List<PGPSignature> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block))) {
            // Reading to the end makes the armor decoder check its CRC.
            byte[] raw = in.readAllBytes();
            PGPObjectFactory f = new PGPObjectFactory(raw, new BcKeyFingerprintCalculator());
            Object o;
            while ((o = f.nextObject()) != null) {
                if (!(o instanceof PGPSignatureList list)) {
                    throw new SignatureException(source + ": the signature block holds a "
                            + o.getClass().getSimpleName() + ", not only signatures");
                }
                list.forEach(out::add);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SignatureException se) {
                throw se;
            }
            throw new SignatureException(source + ": the signature block is damaged: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new SignatureException(source + ": the signature block holds no signature");
        }
        return out;
    }

    private Verified check(byte[] text, byte[] signed, List<PGPSignature> signatures, String source) {
        Instant now = clock.instant();
        List<String> good = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Instant newest = null;
        for (PGPSignature sig : signatures) {
            String keyId = String.format(Locale.ROOT, "%016X", sig.getKeyID());
            Optional<PGPPublicKeyRing> ring = keyring.ringOf(sig.getKeyID());
            if (ring.isEmpty()) {
                ignored.add("key " + keyId + " is not in keyring " + keyring.name() + " (NO_PUBKEY)");
                continue;
            }
            PGPPublicKey key = ring.get().getPublicKey(sig.getKeyID());
            PGPPublicKey primary = ring.get().getPublicKey();
            // Named by the signing key's fingerprint, as gpgv's "using RSA key" line names it.
            String fpr = Keyring.fingerprint(key);
            boolean ok;
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(signed);
                ok = sig.verify();
            } catch (PGPException | RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                throw new SignatureException(source + ": BAD signature by key " + fpr
                        + ": the signed content or the signature was altered");
            }
            Optional<String> worthless = worthless(sig, key, primary, now);
            if (worthless.isPresent()) {
                ignored.add("signature by key " + fpr + " does not count: " + worthless.get());
                continue;
            }
            good.add(fpr);
            Instant created = sig.getCreationTime().toInstant();
            if (newest == null || created.isAfter(newest)) {
                newest = created;
            }
        }
        if (good.isEmpty()) {
            throw new SignatureException(source + ": no valid signature by a key in keyring "
                    + keyring.name() + ": " + String.join("; ", ignored));
        }
        return new Verified(text, good, newest, ignored);
    }

    /** Why a cryptographically good signature still must not count, if it must not. */
    private static Optional<String> worthless(PGPSignature sig, PGPPublicKey key, PGPPublicKey primary, Instant now) {
        int hash = sig.getHashAlgorithm();
        if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.SHA1 || hash == HashAlgorithmTags.RIPEMD160) {
            return Optional.of("it uses the weak digest algorithm " + hashName(hash));
        }
        if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT
                && sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return Optional.of("it is not a document signature (type " + sig.getSignatureType() + ")");
        }
        Instant created = sig.getCreationTime().toInstant();
        if (created.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return Optional.of("it was made in the future (" + created + ")");
        }
        PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
        if (hashed != null && hashed.getSignatureExpirationTime() > 0
                && created.plusSeconds(hashed.getSignatureExpirationTime()).isBefore(now)) {
            return Optional.of("the signature expired on " + created.plusSeconds(hashed.getSignatureExpirationTime()));
        }
        Optional<String> primaryProblem = keyProblem(primary, primary, now);
        if (primaryProblem.isPresent()) {
            return primaryProblem;
        }
        if (key != primary) {
            return keyProblem(key, primary, now);
        }
        return Optional.empty();
    }

    private static Optional<String> keyProblem(PGPPublicKey key, PGPPublicKey primary, Instant now) {
        boolean subkey = key != primary;
        String what = subkey ? "subkey " + Keyring.fingerprint(key) : "the key";
        boolean selfSigned = false;
        for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext();) {
            PGPSignature s = it.next();
            int type = s.getSignatureType();
            try {
                if (!subkey && type == PGPSignature.KEY_REVOCATION) {
                    s.init(new BcPGPContentVerifierBuilderProvider(), primary);
                    if (s.verifyCertification(primary)) {
                        return Optional.of(what + " is revoked (REVKEYSIG)");
                    }
                } else if (subkey && type == PGPSignature.SUBKEY_REVOCATION) {
                    s.init(new BcPGPContentVerifierBuilderProvider(), primary);
                    if (s.verifyCertification(primary, key)) {
                        return Optional.of(what + " is revoked (REVKEYSIG)");
                    }
                } else if (subkey && type == PGPSignature.SUBKEY_BINDING) {
                    s.init(new BcPGPContentVerifierBuilderProvider(), primary);
                    if (s.verifyCertification(primary, key) && allowsSigning(s)) {
                        selfSigned = true;
                    }
                }
            } catch (PGPException | RuntimeException e) {
                // A self-signature that cannot be checked is no self-signature.
            }
        }
        if (!subkey) {
            selfSigned = hasValidUserIdCertification(key);
        }
        if (!selfSigned) {
            return Optional.of(what + " has no valid self-signature" + (subkey ? " allowing it to sign" : ""));
        }
        long valid = key.getValidSeconds();
        if (valid > 0) {
            Instant expiry = key.getCreationTime().toInstant().plusSeconds(valid);
            if (!expiry.isAfter(now)) {
                return Optional.of(what + " expired on " + expiry + " (EXPKEYSIG)");
            }
        }
        return Optional.empty();
    }

    private static boolean hasValidUserIdCertification(PGPPublicKey primary) {
        for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext();) {
            byte[] id = ids.next();
            for (Iterator<PGPSignature> it = primary.getSignaturesForID(id); it.hasNext();) {
                PGPSignature s = it.next();
                if (s.getKeyID() != primary.getKeyID() || !s.isCertification()) {
                    continue;
                }
                try {
                    s.init(new BcPGPContentVerifierBuilderProvider(), primary);
                    if (s.verifyCertification(id, primary)) {
                        return true;
                    }
                } catch (PGPException | RuntimeException e) {
                    // try the next one
                }
            }
        }
        return false;
    }

    private static boolean allowsSigning(PGPSignature binding) {
        PGPSignatureSubpacketVector v = binding.getHashedSubPackets();
        return v == null || v.getKeyFlags() == 0 || (v.getKeyFlags() & KeyFlags.SIGN_DATA) != 0;
    }

    private static String hashName(int algorithm) {
        return switch (algorithm) {
            case HashAlgorithmTags.MD5 -> "MD5";
            case HashAlgorithmTags.SHA1 -> "SHA1";
            case HashAlgorithmTags.RIPEMD160 -> "RIPEMD160";
            default -> "#" + algorithm;
        };
    }
}
