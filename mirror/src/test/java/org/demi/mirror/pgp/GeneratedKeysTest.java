package org.demi.mirror.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys the tests make themselves, for what Debian's files cannot show: expiry, revocation, weak digests. */
class GeneratedKeysTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final byte[] RELEASE = "Origin: Test\nSuite: stable\nDate: Tue, 24 Nov 2026 11:00:00 UTC\n- dashed\n-not escaped in source\ntrailing blanks   \n"
            .getBytes(StandardCharsets.UTF_8);
    static SigningKey key;

    @BeforeAll
    static void makeKey() {
        key = SigningKey.generate("Test Archive <test@example.org>", NOW.minus(Duration.ofDays(30)), null, 2048);
    }

    @Test
    void ourClearsignedFileVerifiesHereAndWithGpgv(@TempDir Path dir) throws Exception {
        byte[] signed = key.clearsign(RELEASE, NOW);
        Verified v = new SignatureVerifier(key.keyring(), CLOCK).verifyClearsigned(signed, "InRelease");
        // Trailing blanks are not signed, so they are not part of the trusted text.
        assertThat(new String(v.text(), StandardCharsets.UTF_8))
                .isEqualTo(new String(RELEASE, StandardCharsets.UTF_8).replace("blanks   \n", "blanks\n"));
        assertThat(v.signers()).containsExactly(key.fingerprint());
        assertThat(v.signedAt()).isEqualTo(NOW);

        Files.write(dir.resolve("key.gpg"), key.publicBinary());
        Files.write(dir.resolve("InRelease"), signed);
        Process p = new ProcessBuilder("gpgv", "--status-fd", "1", "--keyring", dir.resolve("key.gpg").toString(),
                "--output", dir.resolve("out").toString(), dir.resolve("InRelease").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(status).contains("VALIDSIG " + key.fingerprint());
        // gpgv's own split of the file gives exactly the same text.
        assertThat(Files.readAllBytes(dir.resolve("out"))).isEqualTo(v.text());
    }

    @Test
    void detachedSignatureVerifies() {
        byte[] sig = key.detachSign(RELEASE, NOW);
        assertThat(new SignatureVerifier(key.keyring(), CLOCK).verifyDetached(RELEASE, sig, "Release").signers())
                .containsExactly(key.fingerprint());
        byte[] changed = RELEASE.clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> new SignatureVerifier(key.keyring(), CLOCK).verifyDetached(changed, sig, "Release"))
                .hasMessageContaining("BAD signature");
    }

    @Test
    void sha1SignaturesDoNotCount() {
        byte[] signed = key.clearsign(RELEASE, NOW, HashAlgorithmTags.SHA1);
        assertThatThrownBy(() -> new SignatureVerifier(key.keyring(), CLOCK).verifyClearsigned(signed, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("weak digest algorithm SHA1");
    }

    @Test
    void anExpiredKeyDoesNotCount() {
        SigningKey old = SigningKey.generate("Old <old@example.org>", NOW.minus(Duration.ofDays(400)),
                Duration.ofDays(365), 2048);
        byte[] signed = old.clearsign(RELEASE, NOW.minus(Duration.ofDays(100)));
        // Good while the key was valid...
        Clock then = Clock.fixed(NOW.minus(Duration.ofDays(99)), ZoneOffset.UTC);
        assertThat(new SignatureVerifier(old.keyring(), then).verifyClearsigned(signed, "InRelease").signers()).hasSize(1);
        // ...worthless once it has expired, as apt treats EXPKEYSIG.
        assertThatThrownBy(() -> new SignatureVerifier(old.keyring(), CLOCK).verifyClearsigned(signed, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("EXPKEYSIG");
    }

    @Test
    void aRevokedKeyDoesNotCount() throws Exception {
        SigningKey k = SigningKey.generate("Revoked <r@example.org>", NOW.minus(Duration.ofDays(10)), null, 2048);
        byte[] signed = k.clearsign(RELEASE, NOW);
        PGPPublicKeyRing ring = k.publicKeyRing();
        PGPPublicKey primary = ring.getPublicKey();
        var secret = SigningKey.class.getDeclaredField("secret");
        secret.setAccessible(true);
        var secretRing = (org.bouncycastle.openpgp.PGPSecretKeyRing) secret.get(k);
        var priv = secretRing.getSecretKey().extractPrivateKey(
                new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
        PGPSignatureGenerator gen = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(primary.getAlgorithm(), HashAlgorithmTags.SHA512), primary);
        gen.init(PGPSignature.KEY_REVOCATION, priv);
        PGPSignatureSubpacketGenerator sub = new PGPSignatureSubpacketGenerator();
        sub.setSignatureCreationTime(false, Date.from(NOW.minus(Duration.ofDays(1))));
        gen.setHashedSubpackets(sub.generate());
        PGPPublicKey revoked = PGPPublicKey.addCertification(primary, gen.generateCertification(primary));
        Keyring revokedRing = Keyring.parse(PGPPublicKeyRing.insertPublicKey(ring, revoked).getEncoded(), "revoked");

        assertThatThrownBy(() -> new SignatureVerifier(revokedRing, CLOCK).verifyClearsigned(signed, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("REVKEYSIG");
    }

    @Test
    void aSignatureFromTheFutureDoesNotCount() {
        byte[] signed = key.clearsign(RELEASE, NOW.plus(Duration.ofDays(2)));
        assertThatThrownBy(() -> new SignatureVerifier(key.keyring(), CLOCK).verifyClearsigned(signed, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("made in the future");
    }

    @Test
    void oneGoodSignatureAmongUnknownOnesIsEnoughAndTheOthersAreListed() {
        SigningKey stranger = SigningKey.generate("Stranger <s@example.org>", NOW.minus(Duration.ofDays(1)), null, 2048);
        Keyring both = Keyring.union(List.of(key.keyring()));
        byte[] signed = stranger.clearsign(RELEASE, NOW);
        assertThatThrownBy(() -> new SignatureVerifier(both, CLOCK).verifyClearsigned(signed, "InRelease"))
                .hasMessageContaining("NO_PUBKEY");
        Verified v = new SignatureVerifier(Keyring.union(List.of(key.keyring(), stranger.keyring())), CLOCK)
                .verifyClearsigned(signed, "InRelease");
        assertThat(v.signers()).containsExactly(stranger.fingerprint());
    }

    @Test
    void theSecretKeySurvivesARoundTripThroughItsArmor() {
        SigningKey again = SigningKey.parse(key.secretArmored(), "armored");
        assertThat(again.fingerprint()).isEqualTo(key.fingerprint());
        byte[] signed = again.clearsign(RELEASE, NOW);
        assertThat(new SignatureVerifier(Keyring.parse(key.publicArmored(), "armored public"), CLOCK)
                .verifyClearsigned(signed, "InRelease").signers()).containsExactly(key.fingerprint());
    }
}
