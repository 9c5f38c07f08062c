package org.demi.web.compliance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.demi.compliance.host.HostSpec;

/**
 * One piece of work per host, spread over every core: judging a host and building its index
 * documents is most of a rebuild, hosts share none of it, and the index takes documents from
 * several threads at once.
 */
public final class EachHost {
    private EachHost() {
    }

    /** The work for one host. */
    public interface Work<T> {
        T on(HostSpec host) throws IOException;
    }

    /**
     * Does the work for every host and returns what it gave, in the hosts' order. Every host has
     * its turn; then the first failure is thrown, naming its host (any others suppressed in it).
     */
    public static <T> List<T> onEveryCore(List<HostSpec> hosts, Work<T> work) throws IOException {
        ExecutorService cores = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "each-host");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> started = new ArrayList<>(hosts.size());
            for (HostSpec h : hosts) {
                started.add(cores.submit(() -> {
                    try {
                        return work.on(h);
                    } catch (IOException | RuntimeException e) {
                        throw new IOException(h.host() + ": " + e.getMessage(), e);
                    }
                }));
            }
            List<T> done = new ArrayList<>(hosts.size());
            IOException failed = null;
            for (Future<T> f : started) {
                try {
                    done.add(f.get());
                } catch (ExecutionException e) {
                    IOException io = (IOException) e.getCause(); // as every failure is wrapped above
                    if (failed == null) {
                        failed = io;
                    } else {
                        failed.addSuppressed(io);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while working through the hosts", e);
        } finally {
            cores.shutdownNow();
        }
    }
}
