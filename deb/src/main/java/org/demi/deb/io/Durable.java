package org.demi.deb.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Writing files so a crash leaves the old or the new content, never a mix: a temporary name
 * beside the target, fsync, rename, and an fsync of the directory. Every module that keeps
 * state on disk (the mirror's snapshots and pool, the hosts' inventories, the configuration
 * files Demi edits) writes through here, so this is one of the few places not about a Debian
 * format in this module: it is the one module they all share.
 */
public final class Durable {
    private Durable() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, null);
    }

    /** The same, the file created with these permissions from the start (null: the process's umask decides). */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = tempBeside(target);
        FileAttribute<?>[] attrs = mode == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            rename(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames atomically over any existing target, then makes the rename itself durable. */
    public static void rename(Path from, Path to) throws IOException {
        renameUnsynced(from, to);
        syncDirectory(to.toAbsolutePath().getParent());
    }

    /** Renames atomically over any existing target; the caller syncs the directory. */
    public static void renameUnsynced(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
        }
    }

    /**
     * Flushes everything written to the file system holding {@code dir}, with syncfs(2) through
     * coreutils' {@code sync -f} (Java has no call for it). False when that is not available or
     * fails, so the caller syncs file by file instead.
     */
    public static boolean syncFileSystem(Path dir) {
        try {
            Process p = new ProcessBuilder("sync", "-f", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    public static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** A fresh temporary name in the same directory (so the final rename stays on one file system). */
    public static Path tempBeside(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    }

    public static boolean isTemp(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.contains(".tmp-");
    }
}
