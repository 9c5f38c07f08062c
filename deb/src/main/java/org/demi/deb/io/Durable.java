package org.demi.mirror.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Writing files so a crash leaves the old or the new content, never a mix: temp name, fsync, rename. */
public final class Durable {
    private Durable() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = tempBeside(target);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        rename(tmp, target);
    }

    /** Renames atomically over any existing target, then makes the rename itself durable. */
    public static void rename(Path from, Path to) throws IOException {
        renameUnsynced(from, to);
        syncDirectory(to.getParent());
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
