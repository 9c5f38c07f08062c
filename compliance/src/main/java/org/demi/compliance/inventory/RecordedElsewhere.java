package org.demi.compliance.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hosts whose records another process wrote (a {@code demi collect} or {@code demi deliver}
 * beside the running server), told to the server through the data directory:
 * <pre>
 * recorded/&lt;time&gt;-&lt;pid&gt;-&lt;n&gt;.collected    one host name a line, written whole, then renamed into place
 * recorded/&lt;time&gt;-&lt;pid&gt;-&lt;n&gt;.delivered
 * </pre>
 * The server takes the notices every few seconds and indexes those hosts as if it had collected
 * them, or delivered to them, itself. A notice left while no server ran is taken at its next start, which indexes every
 * host that changed anyway. The history files themselves are not watched: at 100,000 hosts that
 * is 100,000 files to look at every few seconds.
 */
public final class RecordedElsewhere {
    private static final System.Logger LOG = System.getLogger(RecordedElsewhere.class.getName());

    /** What was recorded for the hosts a notice names. */
    public enum Kind {
        /** An attempt to collect the host (stored, unchanged or failed). */
        COLLECTED,
        /** A delivery to the host. */
        DELIVERED;

        String suffix() {
            return "." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Told apart, the notices one process leaves within a millisecond. */
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    private final Path dir;

    public RecordedElsewhere(Path dataDir) {
        this.dir = dataDir.resolve("recorded");
    }

    /** Tells the server that this was recorded for these hosts; nothing when there are none. */
    public void announce(Kind kind, Collection<String> hosts) throws IOException {
        if (hosts.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (String h : new TreeSet<>(hosts)) {
            lines.append(InventoryStore.checkHost(h)).append('\n');
        }
        Files.createDirectories(dir);
        String name = System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.getAndIncrement();
        Path partial = dir.resolve("." + name + ".partial");
        Files.writeString(partial, lines, StandardCharsets.UTF_8);
        // Whole or not at all: the server never reads a notice half written.
        Files.move(partial, dir.resolve(name + kind.suffix()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A command's work that records things for hosts. */
    public interface Work<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work}, then announces the hosts {@code recorded} names by then, whether the work
     * ended well or not (what it recorded before failing is recorded). When the notice cannot be
     * written either, that failure goes with the work's own, which is the one thrown.
     */
    public <T> T after(Kind kind, Collection<String> recorded, Work<T> work) throws IOException {
        T done;
        try {
            done = work.run();
        } catch (IOException | RuntimeException e) {
            try {
                announce(kind, recorded);
            } catch (IOException | RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        announce(kind, recorded);
        return done;
    }

    /**
     * The hosts named in the notices of this kind now in place, which are removed. A line that is
     * not a host name is left out, and said in the log with its file; the other lines still count.
     */
    public Set<String> take(Kind kind) throws IOException {
        Set<String> hosts = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return hosts;
        }
        try (DirectoryStream<Path> notices = Files.newDirectoryStream(dir, "*" + kind.suffix())) {
            for (Path notice : notices) {
                if (notice.getFileName().toString().startsWith(".")) {
                    continue;
                }
                String text;
                try {
                    // Bytes that are not UTF-8 become U+FFFD, which no host name holds: that line is left out.
                    text = new String(Files.readAllBytes(notice), StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    continue; // taken meanwhile by another reader of the same data directory
                }
                for (String line : text.split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    try {
                        hosts.add(InventoryStore.checkHost(line));
                    } catch (org.demi.deb.BadInputException e) {
                        LOG.log(System.Logger.Level.WARNING, notice + ": " + e.getMessage() + "; that line is left out");
                    }
                }
                Files.deleteIfExists(notice);
            }
        }
        return hosts;
    }
}
