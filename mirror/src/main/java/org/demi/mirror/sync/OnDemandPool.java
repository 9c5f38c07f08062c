package org.demi.mirror.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.fetch.TransferLimits;
import org.demi.mirror.source.PoolPolicy;
import org.demi.mirror.source.Upstream;
import org.demi.deb.io.Durable;
import org.demi.mirror.store.FileEntry;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.Snapshot;

/**
 * Pool files fetched at a client's first request ({@code Pool: on-demand}): only files the
 * published snapshot's verified indices name, checked against their size and SHA256 while
 * they arrive, stored in the pool and linked under {@code mirror/ondemand/<upstream>/}, from
 * where later requests are served without asking upstream again.
 */
public final class OnDemandPool {
    private final MirrorStore store;
    private final Map<String, Upstream> upstreams;
    private final Function<Upstream, Fetcher> fetchers;
    private final TransferLimits limits;
    /** Striped locks: two requests for the same file fetch it once; different files proceed in parallel. */
    private final Object[] locks = new Object[64];
    /**
     * The published snapshot last seen per upstream, so its pool-file list is read from disk
     * once per snapshot rather than at every request.
     */
    private final Map<String, Snapshot> seen = new ConcurrentHashMap<>();

    public OnDemandPool(MirrorStore store, Map<String, Upstream> upstreams, Function<Upstream, Fetcher> fetchers,
            TransferLimits limits) {
        this.store = store;
        this.limits = limits;
        this.upstreams = Map.copyOf(upstreams);
        this.fetchers = fetchers;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Makes {@code path} (below the archive root, {@code pool/...}) available under the
     * upstream's on-demand directory if the published indices name it.
     *
     * @return the file, or empty when the indices do not name it or the policy forbids fetching
     */
    public Optional<Path> ensure(String upstreamName, String path) throws IOException {
        Upstream upstream = upstreams.get(upstreamName);
        if (upstream == null || !upstream.pool().fetchesOnRequest() || !path.startsWith("pool/")) {
            return Optional.empty();
        }
        Optional<Snapshot> published = store.published(upstreamName);
        if (published.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = seen.merge(upstreamName, published.get(),
                (old, now) -> old.dir().equals(now.dir()) ? old : now);
        Optional<FileEntry> entry = snapshot.poolFile(path);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        FileEntry f = entry.get();
        Path linked = store.onDemandDir(upstreamName).resolve(f.path()).normalize();
        if (!linked.startsWith(store.onDemandDir(upstreamName))) {
            return Optional.empty();
        }
        Object lock = locks[Integer.parseInt(f.sha256().substring(0, 2), 16) % locks.length];
        synchronized (lock) {
            Path pooled = store.pool().path(f.sha256());
            if (Files.isRegularFile(linked) && Files.isRegularFile(pooled) && Files.isSameFile(linked, pooled)) {
                return Optional.of(linked);
            }
            if (!store.pool().has(f.sha256())) {
                Fetcher fetcher = fetchers.apply(upstream);
                try (InputStream in = limits.forFile(f.size()).guard(fetcher.open(f.path()), fetcher.locate(f.path()))) {
                    store.pool().store(in, f.path(), f.size(), f.sha256());
                }
            }
            Files.createDirectories(linked.getParent());
            Path tmp = Durable.tempBeside(linked);
            Files.createLink(tmp, pooled);
            Files.move(tmp, linked, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(linked);
        }
    }
}
