package org.demi.compliance.inventory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.demi.deb.io.Durable;

/**
 * Every inventory a host sent, stored once by checksum, and the host's append-only history:
 * <pre>
 * hosts/&lt;host&gt;/inventory/&lt;checksum&gt;.gz    the frame, gzip-compressed
 * hosts/&lt;host&gt;/history                    time, method, checksum, outcome, detail; one line each
 * </pre>
 * An auditor's "what did this host run on that day" is {@link #at}: the last inventory
 * received by then. Inventories are checked before they are stored: one that does not parse
 * is recorded as rejected with the reason, and the previous one stays the host's latest.
 *
 * <p>One store per data directory in a process: what one host's attempts read and write (its
 * latest entry, then the entry that follows from it) happens under that host's own lock, so
 * a push and a collection sweep for the same host are serialised, and different hosts never
 * wait on each other. Every recorded attempt is announced to the listener, after the fact
 * and outside the lock.
 */
public final class InventoryStore {
    private static final System.Logger LOG = System.getLogger(InventoryStore.class.getName());
    private final Path hosts;
    private final Clock clock;
    private final Consumer<String> recorded;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    /**
     * The inventories stored last, by file: the indexer judges a host right after its new
     * inventory is stored, and would otherwise read back, decompress, hash and parse what it
     * was just handed. A few suffice at any push rate. Each was checked on receipt, and is
     * handed back only while its file's size and modification time are what they were when it
     * was stored: a file changed since is read and checked again.
     */
    private final Map<Path, Kept> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(32, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Kept> eldest) {
                    return size() > RECENT;
                }
            });
    private static final int RECENT = 16;
    /** By host: how many packages its latest stored inventory has installed, to compare the next one with. */
    private final ConcurrentMap<String, Installed> installed = new ConcurrentHashMap<>();

    private record Installed(String checksum, int count) {
    }

    /** An inventory as stored, and its file as it was written. */
    private record Kept(Inventory inventory, Path path, BasicFileAttributes written) {
        static Kept of(Inventory inventory, Path path) throws IOException {
            return new Kept(inventory, path, Files.readAttributes(path, BasicFileAttributes.class));
        }

        /** Whether the file is still there with the size and modification time it was written with. */
        boolean unchanged() throws IOException {
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (java.nio.file.NoSuchFileException e) {
                return false; // gone: reading it says so, naming the file
            }
            return now.size() == written.size() && now.lastModifiedTime().equals(written.lastModifiedTime());
        }
    }

    public InventoryStore(Path dataDir, Clock clock) {
        this(dataDir, clock, host -> { });
    }

    /** @param recorded told the host's name after each attempt recorded for it, whatever its outcome */
    public InventoryStore(Path dataDir, Clock clock, Consumer<String> recorded) {
        this.hosts = dataDir.resolve("hosts");
        this.clock = clock;
        this.recorded = recorded;
    }

    /** A stored inventory with the history entry that received it. */
    public record Stored(String host, HistoryEntry received, Inventory inventory) {
    }

    /** Host names become directory names: letters, digits, dots, hyphens, underscores only. */
    public static String checkHost(String host) {
        if (host == null || !host.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}")) {
            throw new org.demi.deb.BadInputException("not a usable host name: '" + host + "' (letters, digits, '.', '-', '_')");
        }
        return host;
    }

    /**
     * Checks and stores an inventory, and records it. Returns the history entry written
     * ({@code stored}, or {@code unchanged} when it equals the host's latest).
     *
     * @throws InventoryException when it does not parse; recorded as {@code rejected}
     */
    public HistoryEntry accept(String host, String method, Inventory inventory) throws IOException {
        checkHost(host);
        String checksum = inventory.checksum();
        HistoryEntry written;
        synchronized (lock(host)) {
            Optional<HistoryEntry> last = lastGood(host);
            Path file = inventoryFile(host, checksum);
            if (last.isPresent() && last.get().checksum().equals(Optional.of(checksum)) && Files.exists(file)) {
                written = record(host, method, Optional.of(checksum), Outcome.UNCHANGED, "");
            } else {
                if (!Files.exists(file)) {
                    ByteArrayOutputStream gz = new ByteArrayOutputStream(inventory.frameSize() / 4);
                    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                        inventory.writeFrame(out);
                    }
                    Durable.write(file, gz.toByteArray());
                }
                written = record(host, method, Optional.of(checksum), Outcome.STORED, shrinkage(host, last, inventory));
                recent.put(file, Kept.of(inventory, file));
                installed.put(host, new Installed(checksum, inventory.installedCount()));
            }
        }
        recorded.accept(host);
        return written;
    }

    /**
     * A word for the history when a host's installed packages fell by more than half since
     * its previous inventory: a compromised host hiding what it runs looks like this, and so
     * does one rebuilt or pruned on purpose, which only its administrator can tell apart.
     */
    private String shrinkage(String host, Optional<HistoryEntry> last, Inventory now) throws IOException {
        if (last.isEmpty()) {
            return "";
        }
        String previous = last.get().checksum().orElseThrow();
        Installed known = installed.get(host);
        int before;
        try {
            before = known != null && known.checksum().equals(previous) ? known.count() : load(host, previous).installedCount();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, host + ": the previous inventory could not be read to compare with: " + e.getMessage());
            return "";
        }
        int after = now.installedCount();
        if (after * 2 >= before) {
            return "";
        }
        String warning = "installed packages fell from " + before + " to " + after + ", by more than half: unless " + host
                + " was rebuilt or pruned, it may be reporting falsely";
        LOG.log(System.Logger.Level.WARNING, host + ": " + warning);
        return warning;
    }

    /**
     * When {@code checksum} is the host's latest good inventory, records it as unchanged and
     * returns that entry; otherwise records nothing.
     */
    public Optional<HistoryEntry> confirmUnchanged(String host, String method, String checksum) throws IOException {
        checkHost(host);
        Optional<HistoryEntry> written = Optional.empty();
        synchronized (lock(host)) {
            Optional<HistoryEntry> last = lastGood(host);
            if (last.isPresent() && last.get().checksum().equals(Optional.of(checksum))
                    && Files.exists(inventoryFile(host, checksum))) {
                written = Optional.of(record(host, method, Optional.of(checksum), Outcome.UNCHANGED, ""));
            }
        }
        if (written.isPresent()) {
            recorded.accept(host);
        }
        return written;
    }

    /** The checksum of the host's latest good inventory, if it has one. */
    public Optional<String> latestChecksum(String host) throws IOException {
        return lastGood(host).flatMap(HistoryEntry::checksum)
                .filter(c -> Files.exists(inventoryFile(host, c)));
    }

    /** Records a failed attempt; nothing else changes. */
    public HistoryEntry fail(String host, String method, Outcome outcome, String detail) throws IOException {
        if (outcome.good()) {
            throw new IllegalArgumentException(outcome + " is not a failure");
        }
        HistoryEntry written;
        synchronized (lock(checkHost(host))) {
            written = record(host, method, Optional.empty(), outcome, detail);
        }
        recorded.accept(host);
        return written;
    }

    private Object lock(String host) {
        return locks.computeIfAbsent(host, h -> new Object());
    }

    public List<HistoryEntry> history(String host) throws IOException {
        Path log = hosts.resolve(checkHost(host)).resolve("history");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            HistoryEntry.parse(line).ifPresent(out::add);
        }
        return out;
    }

    /** The hosts that have a history. */
    public List<String> hosts() throws IOException {
        if (!Files.isDirectory(hosts)) {
            return List.of();
        }
        try (var s = Files.list(hosts)) {
            return s.filter(p -> Files.exists(p.resolve("history"))).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The host's latest good inventory. */
    public Optional<Stored> latest(String host) throws IOException {
        Optional<HistoryEntry> found = lastGood(checkHost(host));
        return found.isEmpty() ? Optional.empty()
                : Optional.of(new Stored(host, found.get(), load(host, found.get().checksum().orElseThrow())));
    }

    /** The host's latest history entry, whatever its outcome. */
    public Optional<HistoryEntry> lastEntry(String host) throws IOException {
        return lastMatching(checkHost(host), e -> true);
    }

    /** The host's latest entry that stored or confirmed an inventory. */
    public Optional<HistoryEntry> lastGood(String host) throws IOException {
        return lastMatching(checkHost(host), e -> e.outcome().good());
    }

    /** The last inventory received at or before {@code time}. */
    public Optional<Stored> at(String host, Instant time) throws IOException {
        HistoryEntry found = null;
        for (HistoryEntry e : history(host)) {
            if (e.time().isAfter(time)) {
                break;
            }
            if (e.outcome().good()) {
                found = e;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        return Optional.of(new Stored(host, found, load(host, found.checksum().orElseThrow())));
    }

    /**
     * The latest entry {@code wanted} accepts, read backwards from the end of the log: a
     * collection asks for the latest entries at every sweep, and a log grows by one line per
     * sweep for as long as the host is managed, so reading it whole each time would not do.
     */
    private Optional<HistoryEntry> lastMatching(String host, java.util.function.Predicate<HistoryEntry> wanted) throws IOException {
        Path log = hosts.resolve(host).resolve("history");
        if (!Files.exists(log)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long pos = ch.size();
            byte[] head = new byte[0]; // the start of a line whose beginning is further back
            while (pos > 0) {
                int n = (int) Math.min(8192, pos);
                pos -= n;
                byte[] buf = new byte[n + head.length];
                ByteBuffer into = ByteBuffer.wrap(buf, 0, n);
                while (into.hasRemaining()) {
                    if (ch.read(into, pos + into.position()) < 0) {
                        throw new java.io.EOFException(log + " shrank while being read");
                    }
                }
                System.arraycopy(head, 0, buf, n, head.length);
                int lineEnd = buf.length;
                for (int i = buf.length - 1; i >= 0; i--) {
                    if (buf[i] == '\n') {
                        Optional<HistoryEntry> e = entry(buf, i + 1, lineEnd, wanted);
                        if (e.isPresent()) {
                            return e;
                        }
                        lineEnd = i;
                    }
                }
                head = java.util.Arrays.copyOf(buf, lineEnd);
            }
            return entry(head, 0, head.length, wanted);
        }
    }

    private static Optional<HistoryEntry> entry(byte[] b, int from, int to, java.util.function.Predicate<HistoryEntry> wanted) {
        return from >= to ? Optional.empty()
                : HistoryEntry.parse(new String(b, from, to - from, StandardCharsets.UTF_8)).filter(wanted);
    }

    /** The stored inventory of this checksum, checked against its name (to replay a past state). */
    public Inventory inventory(String host, String checksum) throws IOException {
        return load(host, checksum);
    }

    private Inventory load(String host, String checksum) throws IOException {
        Path file = inventoryFile(host, checksum);
        Kept kept = recent.get(file);
        if (kept != null && kept.unchanged()) {
            return kept.inventory();
        }
        byte[] gz = Files.readAllBytes(file);
        try (InputStream in = new ByteArrayInputStream(gz)) {
            Inventory inv = InventoryReader.read(in); // parsed again: it is read back from disk, in a new process or a replay
            if (!inv.checksum().equals(checksum)) {
                throw new IOException(inventoryFile(host, checksum) + ": content does not match its name");
            }
            return inv;
        } catch (InventoryException e) {
            throw new IOException(inventoryFile(host, checksum) + ": " + e.getMessage(), e);
        }
    }

    private Path inventoryFile(String host, String checksum) {
        return hosts.resolve(host).resolve("inventory").resolve(checksum + ".gz");
    }

    /** Appends one entry; the caller holds the host's lock. */
    private HistoryEntry record(String host, String method, Optional<String> checksum, Outcome outcome, String detail)
            throws IOException {
        // To the second: what people read, in the pages, the report and the exports.
        HistoryEntry e = new HistoryEntry(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), method, checksum,
                outcome, detail == null ? "" : detail);
        Path dir = hosts.resolve(host);
        Files.createDirectories(dir);
        Path log = dir.resolve("history");
        String line = e.line();
        if (Files.exists(log)) {
            try (FileChannel r = FileChannel.open(log, StandardOpenOption.READ)) {
                // A crash mid-append may have left a torn last line: end it, so this entry stands alone.
                ByteBuffer last = ByteBuffer.allocate(1);
                if (r.size() > 0 && r.read(last, r.size() - 1) == 1 && last.get(0) != '\n') {
                    line = "\n" + line;
                }
            }
        }
        // O_APPEND: one write per entry, so entries from two processes never interleave.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        return e;
    }
}
