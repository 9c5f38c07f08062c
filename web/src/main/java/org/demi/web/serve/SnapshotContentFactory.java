package org.demi.web.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.content.HttpContent;

/**
 * Maps {@code /<upstream>/<path>} to the file in the snapshot that {@code published/<upstream>}
 * points at, and serves it from a cache keyed by that snapshot's own path.
 *
 * <p>A snapshot never changes once committed, so a file cached under
 * {@code snapshots/<upstream>/<id>/tree/<path>} stays right for as long as anyone asks for
 * it; when the link is switched to a new snapshot, the next request reads the new link and so
 * asks for a new key, and the old entries age out of the cache. Reading the link costs one
 * {@code readlink} per request, instead of resolving the real path of every request twice
 * (once for Jetty's alias test, once for Demi's) as serving through the link would.
 *
 * <p>Anything that is not a file in a published snapshot (the server's key beside the links,
 * on-demand pool files, which appear after the first request) goes to {@code fallback}
 * uncached.
 */
final class SnapshotContentFactory implements HttpContent.Factory {
    private final Path published;
    private final Path snapshots;
    private final HttpContent.Factory cached;
    private final HttpContent.Factory fallback;

    /**
     * @param cached serves paths relative to the parent of {@code snapshots}, that is
     *     {@code snapshots/<upstream>/<id>/tree/<path>}
     */
    SnapshotContentFactory(Path published, Path snapshots, HttpContent.Factory cached, HttpContent.Factory fallback) {
        this.published = published;
        this.snapshots = snapshots;
        this.cached = cached;
        this.fallback = fallback;
    }

    @Override
    public HttpContent getContent(String pathInContext) throws IOException {
        String key = snapshotKey(pathInContext);
        if (key != null) {
            HttpContent content = cached.getContent(key);
            if (content != null) {
                return content;
            }
        }
        return fallback.getContent(pathInContext);
    }

    /** {@code snapshots/<upstream>/<id>/tree/<path>}, or null when the path is not in a published tree. */
    String snapshotKey(String pathInContext) {
        if (!pathInContext.startsWith("/")) {
            return null;
        }
        int slash = pathInContext.indexOf('/', 1);
        if (slash < 0 || slash == pathInContext.length() - 1) {
            return null;
        }
        String upstream = pathInContext.substring(1, slash);
        String rest = pathInContext.substring(slash + 1);
        if (!plainSegments(upstream) || !plainSegments(rest)) {
            return null;
        }
        Path target;
        try {
            target = Files.readSymbolicLink(published.resolve(upstream));
        } catch (IOException | UnsupportedOperationException e) {
            return null; // not a link (the server's key), no such upstream, or unreadable: not a published tree
        }
        Path tree = published.resolve(target).normalize();
        // Only the shape MirrorStore.publish writes: snapshots/<upstream>/<id>/tree.
        if (!tree.startsWith(snapshots) || tree.getNameCount() != snapshots.getNameCount() + 3
                || !tree.getFileName().toString().equals("tree")
                || !tree.getName(snapshots.getNameCount()).toString().equals(upstream)) {
            return null;
        }
        return snapshots.getFileName() + "/" + upstream + "/" + tree.getName(snapshots.getNameCount() + 1) + "/tree/" + rest;
    }

    /** No empty, {@code .} or {@code ..} segment (Jetty normalises these away already; this is the second lock). */
    private static boolean plainSegments(String path) {
        int start = 0;
        while (true) {
            int end = path.indexOf('/', start);
            String segment = end < 0 ? path.substring(start) : path.substring(start, end);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0
                    || segment.indexOf('\0') >= 0) {
                return false;
            }
            if (end < 0) {
                return true;
            }
            start = end + 1;
        }
    }
}
