package org.demi.mirror.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.demi.mirror.VerificationException;
import org.demi.deb.io.Durable;

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
        Staged staged = stage(in, what, size, sha256);
        if (staged != null) {
            try {
                Durable.sync(staged.tmp);
                Durable.rename(staged.tmp, staged.target);
            } finally {
                Files.deleteIfExists(staged.tmp);
            }
        }
        return path(sha256);
    }

    /** A verified file under a temporary name beside its pool name, not yet synced or named. */
    public record Staged(Path tmp, Path target) {
    }

    /**
     * Copies {@code in} to a temporary file beside its pool name, with the same caps and checks
     * as {@link #store(InputStream, String, long, String)}, but neither syncs nor names it: many
     * staged files are made durable together by {@link #commit}, one file-system sync instead of
     * one journal commit per file. Returns null when the pool already holds the file.
     */
    public Staged stage(InputStream in, String what, long size, String sha256) throws IOException {
        Path target = path(sha256);
        if (Files.isRegularFile(target)) {
            return null;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Durable.tempBeside(target);
        MessageDigest md = sha256();
        long total = 0;
        boolean ok = false;
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
            if (total != size) {
                throw new VerificationException(what, "size", total + " bytes arrived, the signed index says " + size);
            }
            String got = HexFormat.of().formatHex(md.digest());
            if (!got.equals(sha256)) {
                throw new VerificationException(what, "SHA256", "got " + got + ", the signed index says " + sha256);
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
        return new Staged(tmp, target);
    }

    /**
     * Makes staged files durable and gives them their pool names: first their content reaches
     * the disk (one {@code syncfs}), then they are renamed, then each directory holding a new
     * name is synced. A crash before the names exist leaves only temporary files, which the
     * next sweep removes; a name never points at content that did not reach the disk.
     */
    public void commit(Collection<Staged> staged) throws IOException {
        if (staged.isEmpty()) {
            return;
        }
        if (!Durable.syncFileSystem(dir)) {
            for (Staged s : staged) {
                Durable.sync(s.tmp);
            }
        }
        Set<Path> dirs = new HashSet<>();
        for (Staged s : staged) {
            Durable.renameUnsynced(s.tmp, s.target);
            dirs.add(s.target.getParent());
        }
        for (Path d : dirs) {
            Durable.syncDirectory(d);
        }
    }

    /** Removes staged files that will not be committed. */
    public static void discard(Collection<Staged> staged) {
        for (Staged s : staged) {
            try {
                Files.deleteIfExists(s.tmp);
            } catch (IOException e) {
                // left for the sweep, which removes stale temporary files
            }
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
