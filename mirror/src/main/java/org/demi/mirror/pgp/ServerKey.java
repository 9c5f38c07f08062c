package org.demi.mirror.pgp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.demi.deb.io.Durable;

/**
 * The server's own repository signing key, made at first use under {@code keys/}:
 * {@code archive-signing-key.asc} (secret, mode 0600), and its public half as
 * {@code archive-key.asc} and {@code archive-key.gpg} for hosts' {@code Signed-By}.
 */
public final class ServerKey {
    private ServerKey() {
    }

    public static SigningKey loadOrCreate(Path keysDir, Clock clock) throws IOException {
        Path secret = keysDir.resolve("archive-signing-key.asc");
        if (Files.isRegularFile(secret)) {
            return SigningKey.parse(Files.readAllBytes(secret), secret.toString());
        }
        Files.createDirectories(keysDir);
        SigningKey key = SigningKey.generate("Demi repository signing key", clock.instant(), null, 3072);
        Path tmp = Durable.tempBeside(secret);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, key.secretArmored());
        Durable.sync(tmp);
        Durable.rename(tmp, secret);
        Durable.write(keysDir.resolve("archive-key.asc"), key.publicArmored());
        Durable.write(keysDir.resolve("archive-key.gpg"), key.publicBinary());
        return key;
    }
}
