package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.demi.deb.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate and key as openssl (and so Debian's ssl-cert, and most CAs) writes them, and the mistakes made with them. */
public class TlsTest {
    @TempDir
    Path tmp;

    static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, and its key, in {@code dir}; {@code keyType} rsa:2048 or ec. */
    public static void makeCertificate(Path dir, String keyType) throws Exception {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=demi-test",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", "key.pem", "-out", "cert.pem"));
        if (keyType.equals("ec")) {
            args.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
        } else {
            args.addAll(List.of("-newkey", keyType));
        }
        openssl(dir, args.toArray(String[]::new));
    }

    @Test
    void pemKeysOfEveryCommonKindAndAPkcs12KeystoreAreRead() throws Exception {
        makeCertificate(tmp, "rsa:2048");
        assertThat(Tls.pem(tmp.resolve("cert.pem"), tmp.resolve("key.pem")).subject()).isEqualTo("CN=demi-test");
        // PKCS#1 ("BEGIN RSA PRIVATE KEY"), as older tools write.
        openssl(tmp, "rsa", "-in", "key.pem", "-traditional", "-out", "key-pkcs1.pem");
        assertThat(Files.readString(tmp.resolve("key-pkcs1.pem"))).contains("BEGIN RSA PRIVATE KEY");
        Tls.pem(tmp.resolve("cert.pem"), tmp.resolve("key-pkcs1.pem"));
        // PKCS#12 with a password.
        openssl(tmp, "pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem", "-out", "both.p12", "-passout", "pass:s3cret");
        assertThat(Tls.pkcs12(tmp.resolve("both.p12"), "s3cret").subject()).isEqualTo("CN=demi-test");
        assertThatThrownBy(() -> Tls.pkcs12(tmp.resolve("both.p12"), "wrong")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cannot be read as PKCS#12 with the given password");

        Path ec = Files.createDirectories(tmp.resolve("ec"));
        makeCertificate(ec, "ec");
        Tls.pem(ec.resolve("cert.pem"), ec.resolve("key.pem"));
    }

    @Test
    void mistakesAreNamed() throws Exception {
        makeCertificate(tmp, "rsa:2048");
        Path other = Files.createDirectories(tmp.resolve("other"));
        makeCertificate(other, "rsa:2048");
        assertThatThrownBy(() -> Tls.pem(tmp.resolve("cert.pem"), other.resolve("key.pem"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("the key does not go with the certificate");
        assertThatThrownBy(() -> Tls.pem(tmp.resolve("key.pem"), tmp.resolve("key.pem"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--tls-cert").hasMessageContaining("holds something other than certificates");
        assertThatThrownBy(() -> Tls.pem(tmp.resolve("cert.pem"), tmp.resolve("cert.pem"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--tls-key").hasMessageContaining("no PEM private key");
        openssl(tmp, "pkey", "-in", "key.pem", "-aes256", "-passout", "pass:x", "-out", "encrypted.pem");
        assertThatThrownBy(() -> Tls.pem(tmp.resolve("cert.pem"), tmp.resolve("encrypted.pem"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("the key is encrypted");
        assertThatThrownBy(() -> Tls.pem(tmp.resolve("none.pem"), tmp.resolve("key.pem"))).isInstanceOf(NoSuchFileException.class);
    }
}
