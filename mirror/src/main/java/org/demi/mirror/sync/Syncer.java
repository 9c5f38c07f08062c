package org.demi.mirror.sync;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.demi.deb.DebFormatException;
import org.demi.deb.compression.Compression;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphWriter;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.release.Release;
import org.demi.deb.release.ReleaseDate;
import org.demi.deb.release.ReleaseFile;
import org.demi.deb.sources.SourceEntry;
import org.demi.mirror.VerificationException;
import org.demi.mirror.fetch.Deadline;
import org.demi.mirror.fetch.FetchException;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.fetch.TransferLimits;
import org.demi.mirror.pgp.SignatureException;
import org.demi.mirror.pgp.SignatureVerifier;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.pgp.Verified;
import org.demi.mirror.source.KeyringResolver;
import org.demi.mirror.source.PoolPolicy;
import org.demi.mirror.source.PublishMode;
import org.demi.mirror.source.SuiteSpec;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.store.FileEntry;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.Pool;
import org.demi.mirror.store.Snapshot;

/**
 * One sync of one upstream: for each suite, fetch the Release, check its signature and the
 * {@link ReleaseGuard}, fetch each index it lists for the configured components and
 * architectures (by hash when the Release offers it), check size and SHA256 against the
 * signed list, decompress and parse it with limits; then, by pool policy, fetch the pool
 * files it names. A suite that fails keeps its previous files; the new snapshot is
 * published only when complete, and only the suites that passed move their rollback guard.
 */
public final class Syncer {
    /** Only what the suites need: apt fetches these, and clients cannot use others anyway. */
    private static final List<String> COMPRESSIONS = List.of(".xz", ".gz", ".bz2", "");

    private final MirrorStore store;
    private final MirrorState state;
    private final KeyringResolver keyrings;
    private final Clock clock;
    private final ReleaseGuard guard;
    private final SigningKey serverKey;
    private final int keep;
    private final TransferLimits limits;

    /**
     * A release file ({@code InRelease}, {@code Release}, {@code Release.gpg}) is read whole, up
     * to this: a real one is well under (bookworm's main InRelease is about 150 KiB).
     */
    static final int RELEASE_MAX_BYTES = 1 << 20;

    public Syncer(MirrorStore store, KeyringResolver keyrings, Clock clock, ReleaseGuard guard,
            SigningKey serverKey, int keep, TransferLimits limits) {
        this.store = store;
        this.state = new MirrorState(store.stateDir());
        this.keyrings = keyrings;
        this.clock = clock;
        this.guard = guard;
        this.serverKey = serverKey;
        this.keep = keep;
        this.limits = limits;
    }

    public MirrorState state() {
        return state;
    }

    /** The outcome: each suite's status, and the snapshot published (empty when nothing changed or all failed). */
    public record Report(String upstream, List<SuiteStatus> suites, Optional<Snapshot> published, String error) {
        public boolean ok() {
            return error == null && suites.stream().noneMatch(SuiteStatus::failed);
        }
    }

    /**
     * Syncs one upstream under the data directory's sync lock.
     *
     * @throws org.demi.mirror.store.SyncRunningException when another sync holds it; nothing was done
     */
    public Report sync(Upstream upstream, Fetcher fetcher, Progress progress) throws IOException {
        try (var lock = store.lockForSync()) {
            return syncLocked(upstream, fetcher, progress, limits.forSync());
        }
    }

    private Report syncLocked(Upstream upstream, Fetcher fetcher, Progress progress, Deadline due) throws IOException {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // times people read: to the second
        Optional<Snapshot> previous = store.published(upstream.name());
        List<String> damage = previous.map(store::damage).orElse(List.of());
        boolean repair = !damage.isEmpty();
        if (repair) {
            progress.step(upstream.name() + ": the published snapshot " + previous.get().id() + " fails its manifest ("
                    + damage.size() + " file(s), first: " + damage.get(0) + "); verifying everything again to repair it");
            previous = previous.filter(Snapshot::complete);
        }
        Map<String, Instant> lastDates = state.lastDates(upstream.name());
        Map<String, Instant> newDates = new LinkedHashMap<>(lastDates);
        List<SuiteResult> results = new ArrayList<>();
        boolean changed = previous.isEmpty() || repair;
        for (SuiteSpec spec : upstream.suites()) {
            SuiteResult r;
            try {
                r = syncSuite(upstream, spec, fetcher, repair ? Optional.empty() : previous, lastDates.get(spec.suite()), now, progress, due);
                if (r.outcome == SyncOutcome.UPDATED) {
                    changed = true;
                    newDates.put(spec.suite(), r.release.date().orElseThrow());
                }
            } catch (VerificationException | SignatureException | FetchException | DebFormatException e) {
                progress.step(upstream.name() + " " + spec.suite() + ": REJECTED: " + e.getMessage());
                r = carryOver(spec, previous, e.getMessage());
            }
            results.add(r);
        }
        String error = null;
        Optional<Snapshot> published = Optional.empty();
        if (changed && results.stream().anyMatch(r -> !r.files.isEmpty())) {
            MirrorStore.Builder b = store.begin(upstream.name());
            try {
                for (SuiteResult r : results) {
                    // A suite carried over from the previous snapshot keeps the signers it was verified with.
                    b.signers(r.suite, r.release != null ? r.signers
                            : previous.map(p -> p.signers().getOrDefault(r.suite, List.of())).orElse(List.of()));
                    for (FileEntry f : r.files) {
                        b.link(f.path(), f.sha256(), f.size());
                    }
                    for (FileEntry f : r.poolEntries) {
                        b.poolFile(f.path(), f.sha256(), f.size());
                    }
                }
                if (upstream.pool() == PoolPolicy.ALL) {
                    fetchPool(upstream, fetcher, results, b, progress, due);
                }
                if (upstream.publish() == PublishMode.CURATED) {
                    for (SuiteResult r : results) {
                        if (r.release != null) {
                            curate(upstream, r, b, now);
                        }
                    }
                }
                Snapshot s = b.commit();
                store.publish(s);
                published = Optional.of(s);
                state.saveLastDates(upstream.name(), newDates);
                progress.step(upstream.name() + ": published snapshot " + s.id());
            } catch (VerificationException | FetchException e) {
                b.abandon();
                error = e.getMessage();
                progress.step(upstream.name() + ": REJECTED, the previous snapshot stays published: " + error);
                for (int i = 0; i < results.size(); i++) {
                    SuiteResult r = results.get(i);
                    if (r.outcome == SyncOutcome.UPDATED) {
                        results.set(i, carryOver(upstream.suite(r.suite), previous, error));
                    }
                }
            }
        } else if (!changed) {
            boolean anyFailed = results.stream().anyMatch(r -> r.outcome == SyncOutcome.FAILED);
            progress.step(upstream.name() + (anyFailed ? ": nothing new published; the previous snapshot stays"
                    : ": unchanged"));
        }
        List<SuiteStatus> statuses = new ArrayList<>();
        for (SuiteResult r : results) {
            statuses.add(r.status(now));
        }
        state.saveStatus(upstream.name(), statuses);
        store.sweep(upstream.name(), keep);
        return new Report(upstream.name(), statuses, published, error);
    }

    /**
     * @param unchangedFrom the snapshot whose files stand when the Release did not change (none
     *     while repairing: then every index is checked against the Release again)
     */
    private SuiteResult syncSuite(Upstream upstream, SuiteSpec spec, Fetcher fetcher, Optional<Snapshot> unchangedFrom,
            Instant lastAccepted, Instant now, Progress progress, Deadline due) throws IOException {
        String base = "dists/" + spec.suite() + "/";
        SignatureVerifier verifier = new SignatureVerifier(keyrings.resolve(spec.signedBy()), clock);
        Verified verified;
        List<FileEntry> files = new ArrayList<>();
        Pool pool = store.pool();
        String releaseFile;
        byte[] inRelease = fetchSmall(fetcher, base + "InRelease", true, due);
        if (inRelease != null) {
            releaseFile = base + "InRelease";
            verified = verifier.verifyClearsigned(inRelease, releaseFile);
            files.add(new FileEntry(releaseFile, pool.store(inRelease), inRelease.length));
        } else {
            releaseFile = base + "Release";
            byte[] release = fetchSmall(fetcher, releaseFile, false, due);
            byte[] gpg = fetchSmall(fetcher, base + "Release.gpg", true, due);
            if (gpg == null) {
                throw new VerificationException(releaseFile, "signature", "neither InRelease nor Release.gpg exists");
            }
            verified = verifier.verifyDetached(release, gpg, releaseFile);
            files.add(new FileEntry(releaseFile, pool.store(release), release.length));
            files.add(new FileEntry(base + "Release.gpg", pool.store(gpg), gpg.length));
        }
        Release release = Release.of(ParagraphReader.readAll(new ByteArrayInputStream(verified.text()), releaseFile)
                .stream().findFirst().orElseThrow(() -> new VerificationException(releaseFile, "Release", "it is empty")));
        guard.check(release, spec.suite(), releaseFile, now, lastAccepted);
        progress.step(upstream.name() + " " + spec.suite() + ": " + releaseFile.substring(base.length())
                + " verified, Date " + release.date().orElseThrow() + ", signed by " + String.join(", ", verified.signers()));

        if (unchangedFrom.isPresent() && lastAccepted != null && release.date().get().equals(lastAccepted)) {
            Optional<FileEntry> old = unchangedFrom.get().files().stream().filter(f -> f.path().equals(files.get(0).path())).findFirst();
            if (old.isPresent() && old.get().sha256().equals(files.get(0).sha256())) {
                return carryOver(spec, unchangedFrom, null).verified(SyncOutcome.UNCHANGED, release, verified.signers());
            }
        }

        List<FileEntry> poolEntries = new ArrayList<>();
        List<FileEntry> plainIndices = new ArrayList<>();
        for (String index : wantedIndices(spec, release, releaseFile)) {
            ReleaseFile rf = release.file(index).orElseThrow();
            String path = base + index;
            Path stored = fetchIndex(fetcher, release, base, rf, path, due);
            files.add(new FileEntry(path, rf.sha256(), rf.size()));
            if (release.acquireByHash()) {
                files.add(new FileEntry(byHash(path, rf.sha256()), rf.sha256(), rf.size()));
            }
            IndexRead read = readIndex(stored, index, path, release.file(plainName(index)));
            poolEntries.addAll(read.poolEntries());
            plainIndices.add(read.plain());
            progress.step(upstream.name() + " " + spec.suite() + ": " + index + " verified (" + rf.size() + " bytes)");
        }
        return new SuiteResult(spec.suite(), SyncOutcome.UPDATED, files, poolEntries, plainIndices, null, release, verified.signers());
    }

    /** Fetches a small file (Release, InRelease, Release.gpg) whole; null when absent and {@code optional}. */
    private byte[] fetchSmall(Fetcher fetcher, String path, boolean optional, Deadline sync) throws IOException {
        Deadline due = limits.forFile(RELEASE_MAX_BYTES).min(sync);
        due.check(fetcher.locate(path));
        try (InputStream in = due.guard(fetcher.open(path), fetcher.locate(path))) {
            byte[] b = in.readNBytes(RELEASE_MAX_BYTES + 1);
            if (b.length > RELEASE_MAX_BYTES) {
                throw new VerificationException(path, "size", "larger than " + RELEASE_MAX_BYTES
                        + " bytes, more than any real release file");
            }
            return b;
        } catch (FetchException e) {
            if (e.notFound() && optional) {
                return null;
            }
            throw e;
        }
    }

    private Path fetchIndex(Fetcher fetcher, Release release, String base, ReleaseFile rf, String path, Deadline sync)
            throws IOException {
        Pool pool = store.pool();
        if (pool.has(rf.sha256())) {
            return pool.path(rf.sha256());
        }
        Deadline due = limits.forFile(rf.size()).min(sync);
        due.check(fetcher.locate(path));
        if (release.acquireByHash()) {
            String hashed = byHash(path, rf.sha256());
            try (InputStream in = due.guard(fetcher.open(hashed), fetcher.locate(hashed))) {
                return pool.store(in, path, rf.size(), rf.sha256());
            } catch (FetchException e) {
                if (!e.notFound()) {
                    throw e;
                }
                // apt falls back to the plain name when by-hash is missing; so does Demi
            }
        }
        try (InputStream in = due.guard(fetcher.open(path), fetcher.locate(path))) {
            return pool.store(in, path, rf.size(), rf.sha256());
        }
    }

    static String byHash(String path, String sha256) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + "by-hash/SHA256/" + sha256;
    }

    /**
     * The index files of the suite, one compression each (the first of xz, gz, bz2, none that
     * the Release lists): Packages per component and architecture, Sources per component.
     * Translations and Contents are not mirrored: apt treats them as optional.
     */
    static List<String> wantedIndices(SuiteSpec spec, Release release, String releaseFile) {
        List<String> out = new ArrayList<>();
        for (String component : spec.components()) {
            List<String> dirs = new ArrayList<>();
            if (spec.binaries()) {
                for (String arch : spec.architectures()) {
                    dirs.add(component + "/binary-" + arch + "/Packages");
                }
            }
            if (spec.sources()) {
                dirs.add(component + "/source/Sources");
            }
            for (String index : dirs) {
                String chosen = best(release, index);
                if (chosen == null) {
                    throw new VerificationException(releaseFile, "index list", "the signed Release lists no "
                            + index + " (of any compression); check the components and architectures configured");
                }
                out.add(chosen);
            }
        }
        return out;
    }

    private static String best(Release release, String index) {
        for (String ext : COMPRESSIONS) {
            if (release.file(index + ext).isPresent()) {
                return index + ext;
            }
        }
        return null;
    }

    private static boolean isPackageIndex(String index) {
        String name = index.substring(index.lastIndexOf('/') + 1);
        return name.startsWith("Packages") || name.startsWith("Sources");
    }

    /** An index file's uncompressed name: {@code main/binary-amd64/Packages} for {@code Packages.xz}. */
    private static String plainName(String index) {
        return index.replaceAll("\\.(xz|gz|bz2)$", "");
    }

    /**
     * What reading an index gave: the pool files it names, and the uncompressed index's name
     * (relative to the suite), size and SHA256, which a curated Release lists.
     */
    private record IndexRead(List<FileEntry> poolEntries, FileEntry plain) {
    }

    /**
     * Decompresses and parses an index, checking the uncompressed bytes against the Release's
     * entry for the uncompressed file when it lists one (size as a hard cap, then SHA256).
     */
    private static IndexRead readIndex(Path stored, String index, String path, Optional<ReleaseFile> plain)
            throws IOException {
        String plainName = plainName(index);
        long cap = plain.map(ReleaseFile::size).orElse(4L << 30);
        MessageDigest md = Pool.sha256();
        List<FileEntry> entries = new ArrayList<>();
        long[] count = new long[1];
        try (InputStream decompressed = Compression.open(stored, true).stream();
                InputStream capped = new FilterInputStream(decompressed) {
                    private final byte[] one = new byte[1];

                    @Override
                    public int read() throws IOException {
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            count[0] += n;
                            if (count[0] > cap) {
                                throw new VerificationException(path, "uncompressed size",
                                        "it expands beyond the signed " + cap + " bytes of " + plainName);
                            }
                            md.update(b, off, n);
                        }
                        return n;
                    }
                };
                ParagraphReader reader = new ParagraphReader(capped, path)) {
            Paragraph p;
            boolean sources = index.contains("/source/");
            while ((p = reader.next()) != null) {
                if (sources) {
                    SourceEntry s = SourceEntry.of(p);
                    for (ReleaseFile f : s.files()) {
                        entries.add(new FileEntry(poolPath(s.directory() + "/" + f.path(), path, p), f.sha256(), f.size()));
                    }
                } else {
                    PackageEntry e = PackageEntry.of(p);
                    entries.add(new FileEntry(poolPath(e.filename(), path, p), e.sha256(), e.size()));
                }
            }
            capped.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (org.demi.deb.compression.CorruptDataException e) {
            throw new VerificationException(path, "decompression", e.getMessage(), e);
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (plain.isPresent()) {
            if (count[0] != plain.get().size()) {
                throw new VerificationException(path, "uncompressed size", count[0] + " bytes, the signed Release says "
                        + plain.get().size() + " for " + plainName);
            }
            if (!got.equals(plain.get().sha256())) {
                throw new VerificationException(path, "uncompressed SHA256", "got " + got + ", the signed Release says "
                        + plain.get().sha256() + " for " + plainName);
            }
        }
        return new IndexRead(entries, new FileEntry(plainName, got, count[0]));
    }

    /** A pool path from an index must stay below {@code pool/} of the archive. */
    private static String poolPath(String p, String index, Paragraph where) {
        if (!p.startsWith("pool/") || p.contains("/../") || p.contains("/./") || p.contains("//") || p.endsWith("/..")
                || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw new VerificationException(index, "pool path", "entry at line " + where.line() + " names the unsafe path '"
                    + p + "'");
        }
        return p;
    }

    /** The suite's files from the published snapshot, unchanged, with their pool entries re-read from its indices. */
    private SuiteResult carryOver(SuiteSpec spec, Optional<Snapshot> previous, String error) throws IOException {
        List<FileEntry> files = new ArrayList<>();
        List<FileEntry> pool = new ArrayList<>();
        List<FileEntry> plainIndices = new ArrayList<>();
        if (previous.isPresent()) {
            String base = "dists/" + spec.suite() + "/";
            for (FileEntry f : previous.get().files()) {
                if (!f.path().startsWith(base)) {
                    continue;
                }
                files.add(f);
                String index = f.path().substring(base.length());
                if (!index.contains("/by-hash/") && isPackageIndex(index)) {
                    // Verified when it was fetched; read again only for the pool files it names.
                    IndexRead read = readIndex(store.pool().path(f.sha256()), index, f.path(), Optional.empty());
                    pool.addAll(read.poolEntries());
                    plainIndices.add(read.plain());
                }
            }
        }
        return new SuiteResult(spec.suite(), error == null ? SyncOutcome.UNCHANGED : SyncOutcome.FAILED, files, pool, plainIndices, error,
                null, List.of());
    }

    /**
     * Pool files fetched at once: a handful of connections hides the round trip of each small
     * file (most of a security suite's) without crowding the upstream; apt itself opens a few
     * per host, aptly four.
     */
    static final int POOL_CONNECTIONS = 4;

    /**
     * Staged pool files, handed out for commit in batches, so a long first sync keeps what it
     * has fetched if it is killed: at most a batch is fetched again.
     */
    private static final class StagedBatches {
        static final int FILES = 512;
        static final long BYTES = 64L << 20;
        private List<Pool.Staged> batch = new ArrayList<>();
        private long bytes;

        synchronized List<Pool.Staged> add(Pool.Staged s, long size) {
            batch.add(s);
            bytes += size;
            return batch.size() >= FILES || bytes >= BYTES ? rest() : null;
        }

        synchronized List<Pool.Staged> rest() {
            List<Pool.Staged> out = batch;
            batch = new ArrayList<>();
            bytes = 0;
            return out;
        }
    }

    private static void awaitQuietly(ExecutorService workers) {
        try {
            workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetchPool(Upstream upstream, Fetcher fetcher, List<SuiteResult> results, MirrorStore.Builder b,
            Progress progress, Deadline sync) throws IOException {
        Map<String, FileEntry> wanted = new LinkedHashMap<>();
        for (SuiteResult r : results) {
            for (FileEntry f : r.poolEntries) {
                wanted.putIfAbsent(f.path(), f);
            }
        }
        long totalBytes = wanted.values().stream().mapToLong(FileEntry::size).sum();
        AtomicLong doneFiles = new AtomicLong();
        AtomicLong doneBytes = new AtomicLong();
        StagedBatches staged = new StagedBatches();
        boolean complete = false;
        ExecutorService workers = Executors.newFixedThreadPool(POOL_CONNECTIONS, r -> {
            Thread t = new Thread(r, "pool-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fetches = new ArrayList<>();
            for (FileEntry f : wanted.values()) {
                fetches.add(workers.submit(() -> {
                    if (!store.pool().has(f.sha256())) {
                        Deadline due = limits.forFile(f.size()).min(sync);
                        try (InputStream in = due.guard(fetcher.open(f.path()), fetcher.locate(f.path()))) {
                            Pool.Staged s = store.pool().stage(in, f.path(), f.size(), f.sha256());
                            List<Pool.Staged> full = s == null ? null : staged.add(s, f.size());
                            if (full != null) {
                                store.pool().commit(full);
                            }
                        }
                    }
                    long files = doneFiles.incrementAndGet();
                    long bytes = doneBytes.addAndGet(f.size());
                    synchronized (progress) {
                        progress.transfer(files, wanted.size(), bytes, totalBytes);
                    }
                    return null;
                }));
            }
            for (Future<?> fetch : fetches) {
                try {
                    fetch.get();
                } catch (ExecutionException e) {
                    fetches.forEach(x -> x.cancel(true));
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("pool fetch interrupted");
                }
            }
            store.pool().commit(staged.rest());
            complete = true;
        } finally {
            workers.shutdownNow();
            if (!complete) {
                awaitQuietly(workers);
                Pool.discard(staged.rest());
            }
        }
        for (FileEntry f : wanted.values()) {
            b.link(f.path(), f.sha256(), f.size());
        }
        progress.step(upstream.name() + ": pool complete, " + wanted.size() + " files, " + totalBytes + " bytes");
    }

    /** Writes a Release of the suite's published indices signed by the server's key, replacing upstream's. */
    private void curate(Upstream upstream, SuiteResult r, MirrorStore.Builder b, Instant now) throws IOException {
        if (serverKey == null) {
            throw new IllegalStateException("curated publishing needs the server's signing key");
        }
        String base = "dists/" + r.suite + "/";
        Release up = r.release;
        Paragraph.Builder p = Paragraph.builder()
                .add("Origin", up.origin().isEmpty() ? "Demi" : up.origin())
                .add("Label", up.label().isEmpty() ? "Demi" : up.label())
                .add("Suite", up.suite().isEmpty() ? r.suite : up.suite());
        if (!up.codename().isEmpty()) {
            p.add("Codename", up.codename());
        }
        p.add("Date", ReleaseDate.format(now));
        up.validUntil().ifPresent(v -> p.add("Valid-Until", ReleaseDate.format(v)));
        p.add("Acquire-By-Hash", "yes")
                .add("Architectures", String.join(" ", up.architectures()))
                .add("Components", String.join(" ", upstream.suite(r.suite).components()))
                .add("Description", upstream.name() + " " + r.suite + " as verified and republished by Demi");
        StringBuilder sums = new StringBuilder();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (FileEntry f : r.files) {
            String rel = f.path().substring(base.length());
            if (f.path().startsWith(base) && !rel.contains("by-hash/") && !rel.equals("InRelease")
                    && !rel.equals("Release") && !rel.equals("Release.gpg")) {
                listed(sums, f.sha256(), f.size(), rel);
                names.add(rel);
            }
        }
        // apt only takes an index whose uncompressed name the Release lists, so list those too.
        for (FileEntry plain : r.plainIndices) {
            if (names.add(plain.path())) {
                listed(sums, plain.sha256(), plain.size(), plain.path());
            }
        }
        p.add("SHA256", sums.toString());
        java.io.ByteArrayOutputStream release = new java.io.ByteArrayOutputStream();
        try (ParagraphWriter w = new ParagraphWriter(release, ParagraphWriter.Style.SEPARATED)) {
            w.write(p.build());
        }
        byte[] text = release.toByteArray();
        byte[] inRelease = serverKey.clearsign(text, now);
        byte[] gpg = serverKey.detachSign(text, now);
        // The curated files take the place of upstream's.
        b.relink(base + "InRelease", store.pool().store(inRelease), inRelease.length);
        b.relink(base + "Release", store.pool().store(text), text.length);
        b.relink(base + "Release.gpg", store.pool().store(gpg), gpg.length);
    }

    /** One line of a Release's SHA256 field, as a continuation line: the field's value starts with a newline. */
    private static void listed(StringBuilder sums, String sha256, long size, String path) {
        sums.append("\n ").append(sha256).append(' ').append(String.format("%16d", size)).append(' ').append(path);
    }

    /**
     * What syncing one suite gave: its outcome, the files it puts in the snapshot and the pool
     * files they name, and, when a Release was verified this time, the Release and its signers.
     */
    private record SuiteResult(String suite, SyncOutcome outcome, List<FileEntry> files, List<FileEntry> poolEntries,
            List<FileEntry> plainIndices, String error, Release release, List<String> signers) {

        /** The same files, now known to be those of a Release verified this time. */
        SuiteResult verified(SyncOutcome o, Release r, List<String> keys) {
            return new SuiteResult(suite, o, files, poolEntries, plainIndices, error, r, keys);
        }

        SuiteStatus status(Instant now) {
            long indexBytes = files.stream().filter(f -> !f.path().contains("/by-hash/")).mapToLong(FileEntry::size).sum();
            int indexFiles = (int) files.stream().filter(f -> !f.path().contains("/by-hash/")).count();
            return new SuiteStatus(suite, outcome, now, error, release == null ? null : release.date().orElse(null),
                    release == null ? null : release.validUntil().orElse(null), signers, indexFiles, indexBytes,
                    poolEntries.size(), poolEntries.stream().mapToLong(FileEntry::size).sum());
        }
    }
}
