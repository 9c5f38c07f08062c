package org.demi.mirror.pgp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The OpenPGP public keys a source trusts: a keyring file (binary, as in
 * {@code /usr/share/keyrings}, or ASCII-armored), or an inline key block from a
 * {@code .sources} file's {@code Signed-By}, optionally narrowed to a list of fingerprints
 * as apt's {@code Signed-By: <fingerprint>, ...} does.
 */
public final class Keyring {
    private final List<PGPPublicKeyRing> rings;
    private final String name;

    private Keyring(List<PGPPublicKeyRing> rings, String name) {
        this.rings = List.copyOf(rings);
        this.name = name;
    }

    /** Reads a keyring file; an empty or unreadable one is an error naming the file. */
    public static Keyring read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Reads binary or armored key material. */
    public static Keyring parse(byte[] keys, String name) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keys))) {
            PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            c.getKeyRings().forEachRemaining(rings::add);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new SignatureException("keyring " + name + " cannot be read: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new SignatureException("keyring " + name + " holds no public keys");
        }
        return new Keyring(rings, name);
    }

    /** All keys of several keyrings. */
    public static Keyring union(Collection<Keyring> keyrings) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Keyring k : keyrings) {
            rings.addAll(k.rings);
            names.add(k.name);
        }
        return new Keyring(rings, String.join(", ", names));
    }

    /**
     * Only the keys whose primary or subkey fingerprint is listed (apt: a fingerprint
     * selects that key; one ending in {@code !} selects exactly that subkey, which this
     * treats the same, since the signature check names the signing key anyway).
     */
    public Keyring restrictTo(List<String> fingerprints) {
        List<String> wanted = fingerprints.stream()
                .map(f -> f.replace(" ", "").replace("!", "").toUpperCase(Locale.ROOT)).toList();
        List<PGPPublicKeyRing> kept = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext();) {
                if (wanted.contains(fingerprint(it.next()))) {
                    kept.add(ring);
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            throw new SignatureException("none of the fingerprints " + wanted + " is in keyring " + name);
        }
        return new Keyring(kept, name + " restricted to " + String.join(", ", wanted));
    }

    public String name() {
        return name;
    }

    List<PGPPublicKeyRing> rings() {
        return rings;
    }

    /** The ring holding the key with this id (primary or subkey), if any. */
    Optional<PGPPublicKeyRing> ringOf(long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            if (ring.getPublicKey(keyId) != null) {
                return Optional.of(ring);
            }
        }
        return Optional.empty();
    }

    /** Upper-case hexadecimal fingerprint, as gpg prints it without spaces. */
    public static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    /** The primary fingerprints of every key, for display. */
    public List<String> fingerprints() {
        return rings.stream().map(r -> fingerprint(r.getPublicKey())).toList();
    }
}
