package org.demi.mirror.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.demi.deb.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Debian's real signed release files against Debian's real keyring, and tampered copies of them. */
class DebianSignaturesTest {
    static final Clock AT_CAPTURE = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);

    static Keyring debian() throws IOException {
        return Keyring.read(Fixtures.path("keyrings/debian-archive-keyring.gpg"));
    }

    static byte[] inRelease(String suite) throws IOException {
        return Files.readAllBytes(Fixtures.path("archive/" + suite + "/InRelease"));
    }

    /** What real gpgv reports on the same files: its machine-readable status lines. */
    static String gpgv(java.nio.file.Path... files) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("gpgv", "--status-fd", "1", "--keyring",
                Fixtures.path("keyrings/debian-archive-keyring.gpg").toString()));
        for (var f : files) {
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return status;
    }

    /** The signing-key fingerprints of gpgv's VALIDSIG lines. */
    static List<String> validSigners(String gpgvStatus) {
        return gpgvStatus.lines().filter(l -> l.startsWith("[GNUPG:] VALIDSIG ")).map(l -> l.split(" ")[2]).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bullseye-security", "bookworm-security", "trixie-security", "bookworm"})
    void everyFixtureInReleaseVerifiesWithTheSignersGpgvNames(String suite) throws Exception {
        Verified v = new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(inRelease(suite), suite);
        List<String> gpgvSigners = validSigners(gpgv(Fixtures.path("archive/" + suite + "/InRelease")));
        assertThat(gpgvSigners).hasSizeGreaterThanOrEqualTo(2);
        assertThat(v.signers()).containsExactlyInAnyOrderElementsOf(gpgvSigners);
        assertThat(new String(v.text(), StandardCharsets.UTF_8)).startsWith("Origin: Debian\n");
        if (!suite.equals("bookworm")) {
            // The Release published beside the InRelease is exactly the signed text.
            assertThat(v.text()).isEqualTo(Files.readAllBytes(Fixtures.path("archive/" + suite + "/Release")));
        }
    }

    /**
     * The fixtures' Release.gpg files were fetched a moment apart from their Release: for
     * bookworm- and trixie-security the archive had changed in between and gpgv itself calls
     * the signature BAD. Demi must agree with gpgv either way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bullseye-security", "bookworm-security", "trixie-security"})
    void releaseWithDetachedSignatureIsJudgedAsGpgvJudgesIt(String suite) throws Exception {
        var release = Fixtures.path("archive/" + suite + "/Release");
        var gpg = Fixtures.path("archive/" + suite + "/Release.gpg");
        String status = gpgv(gpg, release);
        SignatureVerifier verifier = new SignatureVerifier(debian(), AT_CAPTURE);
        byte[] data = Files.readAllBytes(release);
        byte[] sig = Files.readAllBytes(gpg);
        if (status.contains("[GNUPG:] BADSIG")) {
            assertThatThrownBy(() -> verifier.verifyDetached(data, sig, "Release"))
                    .isInstanceOf(SignatureException.class).hasMessageContaining("BAD signature");
        } else {
            List<String> gpgvSigners = validSigners(status);
            assertThat(gpgvSigners).isNotEmpty();
            Verified v = verifier.verifyDetached(data, sig, "Release");
            assertThat(v.signers()).containsExactlyInAnyOrderElementsOf(gpgvSigners);
            assertThat(v.text()).isEqualTo(data);
        }
    }

    @Test
    void aFlippedByteInTheSignedTextIsABadSignature() throws IOException {
        byte[] file = inRelease("bookworm-security");
        String s = new String(file, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("Codename: bookworm-security") + "Codename: ".length();
        file[at] ^= 0x01;
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(file, "tampered"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("BAD signature");
    }

    @Test
    void aFlippedByteInAChecksumOfTheDetachedReleaseIsABadSignature() throws IOException {
        byte[] release = Files.readAllBytes(Fixtures.path("archive/trixie-security/Release"));
        release[release.length - 40] ^= 0x02;
        byte[] gpg = Files.readAllBytes(Fixtures.path("archive/trixie-security/Release.gpg"));
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyDetached(release, gpg, "Release"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("BAD signature");
    }

    @Test
    void everySingleFlippedByteInTheSignatureIsRefused() throws IOException {
        byte[] file = inRelease("trixie-security");
        String s = new String(file, StandardCharsets.ISO_8859_1);
        int start = s.indexOf(ClearsignedMessage.BEGIN_SIGNATURE) + ClearsignedMessage.BEGIN_SIGNATURE.length() + 2;
        int end = s.indexOf(ClearsignedMessage.END_SIGNATURE);
        SignatureVerifier verifier = new SignatureVerifier(debian(), AT_CAPTURE);
        int refused = 0;
        for (int at = start; at < end; at += 7) {
            if (file[at] == '\n' || file[at] == '=') {
                continue;
            }
            byte[] copy = file.clone();
            copy[at] = (byte) (copy[at] == 'A' ? 'B' : 'A');
            assertThatThrownBy(() -> verifier.verifyClearsigned(copy, "tampered"))
                    .as("byte %d", at).isInstanceOf(SignatureException.class);
            refused++;
        }
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void unsignedLinesAfterTheSignatureAreRefused() throws IOException {
        byte[] file = concat(inRelease("bookworm-security"), "Extra: unsigned\n");
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(file, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("unsigned text after the signature");
    }

    @Test
    void aSecondSignedMessageIsRefused() throws IOException {
        byte[] file = concat(inRelease("bookworm-security"),
                new String(inRelease("trixie-security"), StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(file, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("second signed message");
    }

    @Test
    void textBeforeTheSignedMessageIsRefused() throws IOException {
        byte[] file = concat("Origin: Evil\n".getBytes(StandardCharsets.US_ASCII),
                new String(inRelease("bookworm-security"), StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(file, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("must start with");
    }

    @Test
    void aMissingSignatureIsRefused() throws IOException {
        String s = new String(inRelease("bookworm-security"), StandardCharsets.ISO_8859_1);
        byte[] cut = s.substring(0, s.indexOf(ClearsignedMessage.BEGIN_SIGNATURE)).getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(cut, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("not followed by a signature");
        // The plain Release without its .gpg is not a clearsigned file at all.
        byte[] plain = Files.readAllBytes(Fixtures.path("archive/bookworm-security/Release"));
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(plain, "Release"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("not a clearsigned file");
    }

    @Test
    void extraArmorHeadersAreRefused() throws IOException {
        String s = new String(inRelease("bookworm-security"), StandardCharsets.ISO_8859_1);
        byte[] file = s.replaceFirst("Hash: SHA256\n", "Hash: SHA256\nComment: hello\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new SignatureVerifier(debian(), AT_CAPTURE).verifyClearsigned(file, "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("unexpected armor header");
    }

    @Test
    void theWrongKeyringFindsNoValidSignature() throws IOException {
        Keyring removed = Keyring.read(Fixtures.path("keyrings/debian-archive-removed-keys.gpg"));
        assertThatThrownBy(() -> new SignatureVerifier(removed, AT_CAPTURE)
                .verifyClearsigned(inRelease("bookworm-security"), "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("no valid signature")
                .hasMessageContaining("NO_PUBKEY");
    }

    @Test
    void removingTheSigningKeysFromTheKeyringMakesTheFileUntrusted() throws IOException {
        // Keep only the main archive's keys: the security archive's keys are "removed".
        Keyring mainOnly = debian().restrictTo(List.of("4CB50190207B4758A3F73A796ED0E7B82643E131"));
        assertThat(new SignatureVerifier(mainOnly, AT_CAPTURE).verifyClearsigned(inRelease("bookworm"), "b").signers())
                .hasSize(1);
        assertThatThrownBy(() -> new SignatureVerifier(mainOnly, AT_CAPTURE)
                .verifyClearsigned(inRelease("trixie-security"), "InRelease"))
                .isInstanceOf(SignatureException.class).hasMessageContaining("no valid signature");
    }

    static byte[] concat(byte[] a, String b) {
        byte[] tail = b.getBytes(StandardCharsets.ISO_8859_1);
        byte[] r = new byte[a.length + tail.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(tail, 0, r, a.length, tail.length);
        return r;
    }
}
