package org.demi.web.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.demi.deb.BadInputException;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's certificate and key for HTTPS: PEM files as Debian's {@code ssl-cert} and most
 * CAs hand them out (the certificate file may hold the chain after it), or a PKCS#12 keystore.
 * Read once at start; a renewed certificate takes a restart. Protocols are TLS 1.2 and 1.3
 * with Jetty's default cipher suites, which leave out the weak ones.
 */
public final class Tls {
    private final KeyStore keyStore;
    private final String password;
    private final String subject;

    private Tls(KeyStore keyStore, String password, String subject) {
        this.keyStore = keyStore;
        this.password = password;
        this.subject = subject;
    }

    /** From a PEM certificate (chain) and an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1). */
    public static Tls pem(Path certificate, Path key) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader(certificate, "--tls-cert"))) {
            Object o;
            JcaX509CertificateConverter convert = new JcaX509CertificateConverter();
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(convert.getCertificate(h));
                } else {
                    throw new BadInputException(certificate + " (--tls-cert): holds something other than certificates ("
                            + o.getClass().getSimpleName() + "); the key goes in --tls-key");
                }
            }
        } catch (GeneralSecurityException | org.bouncycastle.openssl.PEMException e) {
            throw new BadInputException(certificate + " (--tls-cert): not a usable PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new BadInputException(certificate + " (--tls-cert): no PEM certificate in it (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey privateKey;
        try (PEMParser parser = new PEMParser(reader(key, "--tls-key"))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter convert = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                privateKey = convert.getKeyPair(pair).getPrivate();
            } else if (o instanceof PrivateKeyInfo info) {
                privateKey = convert.getPrivateKey(info);
            } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new BadInputException(key + " (--tls-key): the key is encrypted; a service cannot type its passphrase. "
                        + "Keep it unencrypted and readable only by root and the demi user (group ssl-cert, mode 0640)");
            } else {
                throw new BadInputException(key + " (--tls-key): no PEM private key in it (-----BEGIN PRIVATE KEY-----)");
            }
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new BadInputException(key + " (--tls-key): not a usable PEM private key: " + e.getMessage());
        }
        try {
            String password = randomPassword();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("demi", privateKey, password.toCharArray(), chain.toArray(new Certificate[0]));
            checkMatches(ks, password, certificate, key);
            return new Tls(ks, password, chain.get(0).getSubjectX500Principal().getName());
        } catch (GeneralSecurityException e) {
            throw new BadInputException(certificate + " and " + key + ": the key does not go with the certificate (" + e.getMessage() + ")");
        }
    }

    /** From a PKCS#12 keystore holding one key with its certificate chain. */
    public static Tls pkcs12(Path keystore, String password) throws IOException {
        try (InputStream in = open(keystore, "--tls-keystore")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            String alias = null;
            for (String a : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    if (alias != null) {
                        throw new BadInputException(keystore + " (--tls-keystore): holds more than one key");
                    }
                    alias = a;
                }
            }
            if (alias == null) {
                throw new BadInputException(keystore + " (--tls-keystore): holds no private key");
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
            return new Tls(ks, password, cert.getSubjectX500Principal().getName());
        } catch (GeneralSecurityException | IOException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            if (e instanceof NoSuchFileException) {
                throw (NoSuchFileException) e;
            }
            throw new BadInputException(keystore + " (--tls-keystore): cannot be read as PKCS#12 with the given password: "
                    + e.getMessage());
        }
    }

    /** Whom the certificate names, for the log. */
    public String subject() {
        return subject;
    }

    SslContextFactory.Server contextFactory() {
        SslContextFactory.Server f = new SslContextFactory.Server();
        f.setKeyStore(keyStore);
        f.setKeyStorePassword(password);
        f.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // Hosts reach a server by whatever name or address the network gives them.
        f.setSniRequired(false);
        return f;
    }

    private static void checkMatches(KeyStore ks, String password, Path certificate, Path key) throws GeneralSecurityException {
        PrivateKey k = (PrivateKey) ks.getKey("demi", password.toCharArray());
        X509Certificate c = (X509Certificate) ks.getCertificate("demi");
        String algorithm = switch (k.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "demi".getBytes(StandardCharsets.US_ASCII);
        java.security.Signature sign = java.security.Signature.getInstance(algorithm);
        sign.initSign(k);
        sign.update(probe);
        byte[] signature = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance(algorithm);
        verify.initVerify(c.getPublicKey());
        verify.update(probe);
        if (!verify.verify(signature)) {
            throw new GeneralSecurityException("a signature made with " + key + " does not verify with " + certificate + "'s public key");
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static Reader reader(Path p, String option) throws IOException {
        return new java.io.InputStreamReader(open(p, option), StandardCharsets.US_ASCII);
    }

    private static InputStream open(Path p, String option) throws IOException {
        try {
            return Files.newInputStream(p);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException(p + " (" + option + "): permission denied; the demi user must be able to read it "
                    + "(for a key in /etc/ssl/private: adduser demi ssl-cert)");
        }
    }
}
