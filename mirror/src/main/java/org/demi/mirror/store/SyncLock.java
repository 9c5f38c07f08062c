package org.demi.mirror.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The one sync allowed per data directory at a time: an exclusive lock ({@code fcntl}, so it
 * dies with its holder, even under kill -9) on {@code mirror/sync.lock}, which names the
 * holder's PID and start for whoever finds it taken.
 */
public final class SyncLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SyncLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock at once, or throws {@link SyncRunningException} naming who holds it. */
    static SyncLock acquire(Path file, Instant now) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another thread of this process
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            try {
                throw new SyncRunningException(file, holder(file));
            } finally {
                ch.close();
            }
        }
        byte[] who = ("pid " + ProcessHandle.current().pid() + "\nsince " + now + "\n").getBytes(StandardCharsets.UTF_8);
        ch.write(ByteBuffer.wrap(who), 0);
        ch.truncate(who.length);
        ch.force(false);
        return new SyncLock(ch, lock);
    }

    /** What the holder wrote, waiting a moment for a holder that has only just taken the lock to write it. */
    private static String holder(Path file) throws IOException {
        for (int tries = 0; ; tries++) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            if (text.startsWith("pid ") && text.contains("\nsince ") && alive(text) || tries == 50) {
                return text.replace('\n', ' ');
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return text;
            }
        }
    }

    /** Whether the PID the text names is a live process (a holder killed with -9 left its text behind). */
    private static boolean alive(String text) {
        String pid = text.substring("pid ".length(), text.indexOf('\n'));
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
