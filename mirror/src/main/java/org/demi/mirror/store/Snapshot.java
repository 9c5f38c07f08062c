package org.demi.mirror.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable snapshot of an upstream: {@code tree/} (what apt sees, hard links into the
 * pool), {@code files} (every tree file with its SHA256), {@code pool-files} (every pool file
 * the snapshot's verified indices name, which on-demand fetching may add) and {@code signers}
 * (each suite's verified signers).
 */
public final class Snapshot {
    /** A snapshot's id is when it was begun, in UTC ({@code 20261202T130051Z}), then {@code -2}... if that was taken. */
    static final java.time.format.DateTimeFormatter ID = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final String upstream;
    private final String id;
    private final Path dir;
    private volatile Map<String, FileEntry> poolFiles;

    Snapshot(String upstream, String id, Path dir) {
        this.upstream = upstream;
        this.id = id;
        this.dir = dir;
    }

    public String upstream() {
        return upstream;
    }

    public String id() {
        return id;
    }

    /** When the snapshot with this id was begun: when the sync that made it was accepted. */
    public static java.time.Instant begun(String id) {
        int dash = id.indexOf('-');
        return java.time.Instant.from(ID.parse(dash < 0 ? id : id.substring(0, dash)));
    }

    public Path dir() {
        return dir;
    }

    public Path tree() {
        return dir.resolve("tree");
    }

    /** Whether its manifests are there: a snapshot swept or torn under a reader is not. */
    public boolean complete() {
        return Files.isRegularFile(dir.resolve("files")) && Files.isRegularFile(dir.resolve("pool-files"));
    }

    public List<FileEntry> files() {
        return read("files");
    }

    /** The pool file the verified indices name at {@code path}, if any. */
    public Optional<FileEntry> poolFile(String path) {
        Map<String, FileEntry> m = poolFiles;
        if (m == null) {
            m = new HashMap<>();
            for (FileEntry e : read("pool-files")) {
                m.put(e.path(), e);
            }
            poolFiles = m;
        }
        return Optional.ofNullable(m.get(path));
    }

    public List<FileEntry> poolFiles() {
        return read("pool-files");
    }

    /**
     * By suite, the fingerprints of the keys whose good signatures its Release had when it was
     * verified (the server's own for a curated suite's new Release is not among them: these are
     * upstream's). Empty for a snapshot made before Demi recorded them.
     */
    public Map<String, List<String>> signers() {
        Path file = dir.resolve("signers");
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int blank = line.indexOf(' ');
                if (blank > 0) {
                    String keys = line.substring(blank + 1).strip();
                    out.put(line.substring(0, blank), keys.isEmpty() ? List.of() : List.of(keys.split(",")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot " + dir + " is damaged: " + e.getMessage(), e);
        }
        return out;
    }

    private List<FileEntry> read(String name) {
        try {
            return Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isEmpty()).map(FileEntry::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot " + dir + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return upstream + "/" + id;
    }
}
