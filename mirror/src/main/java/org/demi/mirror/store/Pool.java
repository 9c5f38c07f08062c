package org.demi.mirror.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.demi.mirror.VerificationException;

/**
 * Every verified file, stored once under its SHA256: {@code pool/<sha256[0:2]>/<sha256>}.
 * A file enters only after its size and hash matched what a signed index promised.
 */
public final class Pool {
    private final Path dir;

    public Pool(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path path(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA256: " + sha256);
        }
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean has(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /**
     * Copies {@code in} into the pool, reading at most {@code size + 1} bytes, and keeps it only
     * if its size and SHA256 are the expected ones. Never stores more than the signed size.
     *
     * @param what the file's name in the archive, for the error message
     */
    public Path store(InputStream in, String what, long size, String sha256) throws IOException {
        Path target = path(sha256);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Durable.tempBeside(target);
        MessageDigest md = sha256();
        long total = 0;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf, 0, (int) Math.min(buf.length, size + 1 - total))) > 0) {
                    total += n;
                    if (total > size) {
                        throw new VerificationException(what, "size", "more than the signed " + size + " bytes arrived");
                    }
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (total != size) {
                throw new VerificationException(what, "size", total + " bytes arrived, the signed index says " + size);
            }
            String got = HexFormat.of().formatHex(md.digest());
            if (!got.equals(sha256)) {
                throw new VerificationException(what, "SHA256", "got " + got + ", the signed index says " + sha256);
            }
            Durable.sync(tmp);
            Durable.rename(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Stores bytes whose hash was already checked, returning their SHA256. */
    public String store(byte[] data) throws IOException {
        String sha = HexFormat.of().formatHex(sha256().digest(data));
        Path target = path(sha);
        if (!Files.isRegularFile(target)) {
            Durable.write(target, data);
        }
        return sha;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }
}
