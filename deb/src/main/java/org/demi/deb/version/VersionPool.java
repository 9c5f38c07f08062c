package org.demi.deb.version;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Version} per distinct text read from hosts' dpkg databases. A fleet's hosts
 * install the same few thousand versions over and over: shared, each is parsed once, and its
 * hash and sort key (which the evaluation's maps and the index ask for) are computed once,
 * not once per host. Sharing is safe because a version is immutable to every reader.
 *
 * <p>A pool is bounded: past its limit a version is parsed afresh and not kept, so a stream of
 * odd versions costs memory only up to the bound ({@link #INSTALLED}'s: some 60 MB).
 */
final class VersionPool {
    /** The pool {@link Version#parseTolerant} reads installed versions through. */
    static final VersionPool INSTALLED = new VersionPool(1 << 18);

    private final int limit;
    private final Map<String, Version> pool = new ConcurrentHashMap<>();

    VersionPool(int limit) {
        this.limit = limit;
    }

    /** The shared version written {@code text}, parsed as {@link Version#parseTolerant} does. */
    Version tolerant(String text) {
        Version v = pool.get(text);
        if (v != null) {
            return v;
        }
        v = Version.parseUnshared(text); // throws for a bad text, which is then not kept
        if (pool.size() < limit) {
            Version held = pool.putIfAbsent(text, v);
            return held != null ? held : v;
        }
        return v;
    }
}
