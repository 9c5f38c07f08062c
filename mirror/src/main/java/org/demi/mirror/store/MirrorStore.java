package org.demi.mirror.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.demi.deb.io.Durable;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.release.Release;
import org.demi.deb.release.ReleaseFile;
import org.demi.mirror.pgp.ClearsignedMessage;

/**
 * The mirror's part of the data directory (see DESIGN.md):
 * <pre>
 * mirror/pool/&lt;sha256[0:2]&gt;/&lt;sha256&gt;      every verified file, once
 * mirror/snapshots/&lt;upstream&gt;/&lt;id&gt;/     immutable snapshots ({@link Snapshot})
 * mirror/state/&lt;upstream&gt;.last          accepted Date per suite (rollback guard)
 * mirror/ondemand/&lt;upstream&gt;/pool/...     pool files fetched at a client's request
 * published/&lt;upstream&gt; -&gt; snapshot tree   switched by renaming a new symlink over the old
 * </pre>
 * A snapshot is built under a temporary name and renamed into place when complete; the
 * published link changes only after that. Killing the process at any moment leaves the
 * previous tree published; leftovers are swept by the next {@link #sweep}.
 */
public final class MirrorStore {

    private final Path data;
    private final Pool pool;
    private final Clock clock;

    public MirrorStore(Path data, Clock clock) {
        this.data = data;
        this.pool = new Pool(data.resolve("mirror/pool"));
        this.clock = clock;
    }

    public Pool pool() {
        return pool;
    }

    public Path dataDir() {
        return data;
    }

    public Path snapshotsDir() {
        return data.resolve("mirror/snapshots");
    }

    public Path publishedDir() {
        return data.resolve("published");
    }

    public Path stateDir() {
        return data.resolve("mirror/state");
    }

    public Path onDemandDir(String upstream) {
        return data.resolve("mirror/ondemand").resolve(upstream);
    }

    /**
     * Publishes the server's own repository key beside the upstreams' trees, as
     * {@code demi-archive-key.asc} and {@code .gpg}, for hosts that pin it with Signed-By.
     */
    public void publishKey(byte[] armored, byte[] binary) throws IOException {
        Path pub = publishedDir();
        Files.createDirectories(pub);
        Durable.write(pub.resolve("demi-archive-key.asc"), armored);
        Durable.write(pub.resolve("demi-archive-key.gpg"), binary);
    }

    /** The snapshot published for {@code upstream}, if any. */
    public Optional<Snapshot> published(String upstream) {
        Path link = publishedDir().resolve(upstream);
        try {
            Path tree = link.toRealPath();
            Path dir = tree.getParent();
            return Optional.of(new Snapshot(upstream, dir.getFileName().toString(), dir));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every suite of every published tree, upstreams in name order, suites in directory order.
     * Each suite's Release is read from the signed text of its {@code InRelease} (verified when
     * it was mirrored), else its {@code Release}; a directory with neither is not a suite. Of
     * each component and architecture one {@code Packages} index is offered: the uncompressed
     * one when the tree has it, else the xz, else another compression.
     */
    public List<PublishedSuite> publishedSuites() throws IOException {
        Path published = publishedDir();
        if (!Files.isDirectory(published)) {
            return List.of();
        }
        List<Path> trees;
        try (Stream<Path> s = Files.list(published)) {
            trees = s.filter(Files::isSymbolicLink).sorted().toList();
        }
        List<PublishedSuite> out = new ArrayList<>();
        for (Path tree : trees) {
            Path dists = tree.resolve("dists");
            if (!Files.isDirectory(dists)) {
                continue;
            }
            List<Path> suites;
            try (Stream<Path> s = Files.list(dists)) {
                suites = s.filter(Files::isDirectory).sorted().toList();
            }
            String upstream = tree.getFileName().toString();
            for (Path suiteDir : suites) {
                Optional<Paragraph> paragraph = releaseOf(suiteDir);
                if (paragraph.isEmpty()) {
                    continue;
                }
                Release release = Release.of(paragraph.get());
                String suite = suiteDir.getFileName().toString();
                List<String> signedBy = published(upstream).map(snap -> snap.signers().getOrDefault(suite, List.of())).orElse(List.of());
                out.add(new PublishedSuite(upstream, suite, release, "yes".equalsIgnoreCase(paragraph.get().get("NotAutomatic")),
                        signedBy, packagesIndices(upstream + "/dists/" + suite, suiteDir, release)));
            }
        }
        return out;
    }

    private static Optional<Paragraph> releaseOf(Path suiteDir) throws IOException {
        byte[] text;
        if (Files.exists(suiteDir.resolve("InRelease"))) {
            // Verified when it was mirrored; only its signed text is read.
            text = ClearsignedMessage.split(Files.readAllBytes(suiteDir.resolve("InRelease")), suiteDir + "/InRelease").text();
        } else if (Files.exists(suiteDir.resolve("Release"))) {
            text = Files.readAllBytes(suiteDir.resolve("Release"));
        } else {
            return Optional.empty();
        }
        try (ParagraphReader r = new ParagraphReader(new java.io.ByteArrayInputStream(text), suiteDir + "/Release")) {
            return Optional.ofNullable(r.next());
        }
    }

    private static List<PackagesIndex> packagesIndices(String name, Path suiteDir, Release release) {
        Map<String, String> best = new LinkedHashMap<>();
        for (ReleaseFile f : release.files()) {
            String p = f.path();
            String base = p.replaceFirst("\\.(xz|gz|bz2)$", "");
            if (!base.matches("[^/]+/binary-[^/]+/Packages") || !Files.isRegularFile(suiteDir.resolve(p))) {
                continue;
            }
            String current = best.get(base);
            if (current == null || p.equals(base) || (!current.equals(base) && p.endsWith(".xz"))) {
                best.put(base, p);
            }
        }
        List<PackagesIndex> out = new ArrayList<>();
        best.forEach((base, p) -> {
            String[] parts = base.split("/");
            out.add(new PackagesIndex(name + "/" + p, parts[0], parts[1].substring("binary-".length()), suiteDir.resolve(p)));
        });
        return out;
    }

    /**
     * Takes the data directory's sync lock: one sync at a time, because a sync sweeps the
     * snapshots and the pool that another would be building on.
     */
    public SyncLock lockForSync() throws IOException {
        return SyncLock.acquire(data.resolve("mirror/sync.lock"), clock.instant());
    }

    /**
     * How the snapshot's tree departs from its manifest: each listed file must be in the tree
     * as the very pool file of its SHA256 (a hard link to it) with the listed size. Empty when
     * the tree is whole. Stats every file; reads none.
     */
    public List<String> damage(Snapshot s) {
        List<FileEntry> files;
        try {
            files = s.files();
        } catch (UncheckedIOException e) {
            return List.of("its manifest cannot be read (" + e.getCause().getMessage() + ")");
        }
        List<String> out = new ArrayList<>();
        for (FileEntry f : files) {
            Path p = s.tree().resolve(f.path());
            try {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(f.path() + " is missing");
                } else if (Files.size(p) != f.size() || !pool.has(f.sha256()) || !Files.isSameFile(p, pool.path(f.sha256()))) {
                    out.add(f.path() + " is not the verified file of its manifest");
                }
            } catch (IOException e) {
                out.add(f.path() + " cannot be read (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** Every complete snapshot of {@code upstream}, oldest first. */
    public List<Snapshot> snapshots(String upstream) throws IOException {
        Path dir = snapshotsDir().resolve(upstream);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !Durable.isTemp(p) && Files.isRegularFile(p.resolve("files")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> new Snapshot(upstream, p.getFileName().toString(), p)).toList();
        }
    }

    /** Starts a new snapshot; nothing is visible until {@link Builder#commit()}. */
    public Builder begin(String upstream) throws IOException {
        Path parent = snapshotsDir().resolve(upstream);
        Files.createDirectories(parent);
        String base = Snapshot.ID.format(clock.instant());
        String id = base;
        for (int n = 2; Files.exists(parent.resolve(id)); n++) {
            id = base + "-" + n;
        }
        Path tmp = Durable.tempBeside(parent.resolve(id));
        Files.createDirectories(tmp.resolve("tree"));
        return new Builder(upstream, id, parent.resolve(id), tmp);
    }

    /** Points {@code published/<upstream>} at the snapshot's tree with one atomic rename. */
    public void publish(Snapshot s) throws IOException {
        Path dir = publishedDir();
        Files.createDirectories(dir);
        Path link = dir.resolve(s.upstream());
        Path tmp = Durable.tempBeside(link);
        Files.createSymbolicLink(tmp, dir.relativize(s.tree()));
        Durable.rename(tmp, link);
    }

    /**
     * Removes all but the newest {@code keep} snapshots of {@code upstream} (never the published
     * one), half-built snapshots and stale temporary files, then every pool file that no
     * remaining snapshot of any upstream references.
     *
     * @return the number of pool files removed
     */
    public int sweep(String upstream, int keep) throws IOException {
        Optional<Snapshot> published = published(upstream);
        List<Snapshot> all = new ArrayList<>(snapshots(upstream));
        int excess = all.size() - keep;
        for (Snapshot s : List.copyOf(all)) {
            if (excess <= 0) {
                break;
            }
            if (published.isPresent() && published.get().dir().equals(s.dir().toRealPath())) {
                continue;
            }
            deleteTree(s.dir());
            all.remove(s);
            excess--;
        }
        Path parent = snapshotsDir().resolve(upstream);
        if (Files.isDirectory(parent)) {
            try (Stream<Path> st = Files.list(parent)) {
                for (Path p : st.filter(Durable::isTemp).toList()) {
                    deleteTree(p);
                }
            }
        }
        return collectGarbage();
    }

    private int collectGarbage() throws IOException {
        Set<String> referenced = new HashSet<>();
        Set<String> onDemandPaths = new HashSet<>();
        if (Files.isDirectory(snapshotsDir())) {
            try (Stream<Path> ups = Files.list(snapshotsDir())) {
                for (Path up : ups.filter(Files::isDirectory).toList()) {
                    for (Snapshot s : snapshots(up.getFileName().toString())) {
                        s.files().forEach(f -> referenced.add(f.sha256()));
                        for (FileEntry f : s.poolFiles()) {
                            referenced.add(f.sha256());
                            onDemandPaths.add(s.upstream() + "/" + f.path());
                        }
                    }
                }
            }
        }
        // Files fetched on demand that no snapshot's index names any more.
        Path ondemand = data.resolve("mirror/ondemand");
        if (Files.isDirectory(ondemand)) {
            try (Stream<Path> s = Files.walk(ondemand)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    if (!onDemandPaths.contains(ondemand.relativize(p).toString()) && !recentTemp(p)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        int removed = 0;
        if (Files.isDirectory(pool.dir())) {
            try (Stream<Path> s = Files.walk(pool.dir(), 2)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    String name = p.getFileName().toString();
                    if (Durable.isTemp(p) ? !recentTemp(p) : !referenced.contains(name)) {
                        Files.deleteIfExists(p);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /** A temporary file young enough to belong to a transfer still running. */
    private boolean recentTemp(Path p) throws IOException {
        if (!Durable.isTemp(p)) {
            return false;
        }
        FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        return t.toInstant().isAfter(clock.instant().minus(Duration.ofHours(1)));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Fills one new snapshot. */
    public final class Builder {
        private final String upstream;
        private final String id;
        private final Path finalDir;
        private final Path tmp;
        private final List<FileEntry> files = new ArrayList<>();
        private final List<FileEntry> poolFiles = new ArrayList<>();
        private final Set<String> paths = new HashSet<>();
        private final Map<String, List<String>> signers = new LinkedHashMap<>();

        Builder(String upstream, String id, Path finalDir, Path tmp) {
            this.upstream = upstream;
            this.id = id;
            this.finalDir = finalDir;
            this.tmp = tmp;
        }

        public String id() {
            return id;
        }

        /** Places the pool file with this hash at {@code path} in the tree (a hard link). */
        public void link(String path, String sha256, long size) throws IOException {
            if (!paths.add(path)) {
                return;
            }
            Path target = tmp.resolve("tree").resolve(path).normalize();
            if (!target.startsWith(tmp.resolve("tree"))) {
                throw new IllegalArgumentException("path '" + path + "' leaves the snapshot");
            }
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, pool.path(sha256));
            } catch (FileAlreadyExistsException e) {
                // the same path twice: the first wins, and the set above keeps the manifest consistent
            }
            files.add(new FileEntry(path, sha256, size));
        }

        /** Places {@code path} in the tree, replacing what was linked there before (curated Release files). */
        public void relink(String path, String sha256, long size) throws IOException {
            Path target = tmp.resolve("tree").resolve(path).normalize();
            if (!target.startsWith(tmp.resolve("tree"))) {
                throw new IllegalArgumentException("path '" + path + "' leaves the snapshot");
            }
            Files.createDirectories(target.getParent());
            Path link = Durable.tempBeside(target);
            Files.createLink(link, pool.path(sha256));
            Files.move(link, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            files.removeIf(f -> f.path().equals(path));
            paths.add(path);
            files.add(new FileEntry(path, sha256, size));
        }

        /** Records a pool file the verified indices name (fetched now or on demand). */
        public void poolFile(String path, String sha256, long size) {
            poolFiles.add(new FileEntry(path, sha256, size));
        }

        /** Records whose good signatures the suite's Release had, by key fingerprint. */
        public void signers(String suite, List<String> fingerprints) {
            signers.put(suite, List.copyOf(fingerprints));
        }

        /** Writes the manifests and renames the snapshot into place; it can now be published. */
        public Snapshot commit() throws IOException {
            writeManifest(tmp.resolve("pool-files"), poolFiles);
            writeManifest(tmp.resolve("files"), files);
            StringBuilder b = new StringBuilder();
            signers.forEach((suite, keys) -> b.append(suite).append(' ').append(String.join(",", keys)).append('\n'));
            Files.writeString(tmp.resolve("signers"), b, StandardCharsets.UTF_8);
            Durable.sync(tmp.resolve("signers"));
            Durable.syncDirectory(tmp);
            Durable.rename(tmp, finalDir);
            return new Snapshot(upstream, id, finalDir);
        }

        /** Throws the half-built snapshot away. */
        public void abandon() throws IOException {
            deleteTree(tmp);
        }

        private void writeManifest(Path file, List<FileEntry> entries) throws IOException {
            StringBuilder b = new StringBuilder();
            for (FileEntry e : entries) {
                b.append(e.line()).append('\n');
            }
            Files.writeString(file, b, StandardCharsets.UTF_8);
            Durable.sync(file);
        }
    }
}
