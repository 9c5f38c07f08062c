package org.demi.web.compliance;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.fleet.Fleet;
import org.demi.compliance.fleet.HostState;
import org.demi.compliance.host.HostSpec;
import org.demi.index.FleetIndex;
import org.demi.index.IndexedHost;

/**
 * Keeps the index in step with the fleet inside {@code demi serve}, on one thread of its own:
 * every write to the index happens there, so no request thread ever waits for the index,
 * and nothing else writes to it.
 *
 * <ul>
 * <li>Every attempt the fleet records (a push, a host of a sweep) queues its host; the thread
 * takes the queued hosts in batches, judges each by the evaluator in force, replaces those
 * whose inventory or verdict changed, and refreshes the searchers (near-real-time: visible
 * without a commit). Hosts queued again while a batch runs are taken by the next.</li>
 * <li>A new evaluator (a mirror sync, new advisories) judges every host again and re-indexes
 * the advisories; a host whose documents come out as the index holds them is not written.</li>
 * <li>{@link #reconcile()} (after each collection sweep) catches what no event announces:
 * hosts removed from the hosts file, hosts turned stale by time, changes made by another
 * process.</li>
 * <li>Commits (an fsync) run on a schedule on a thread of their own (Lucene lets a commit run
 * beside updates and refreshes), and at {@link #close()}; never per change, and never in the
 * indexer's way: a crash loses at most the last interval of index changes, which the next
 * start re-indexes from the store.</li>
 * </ul>
 */
public final class FleetIndexer implements Fleet.Listener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FleetIndexer.class.getName());

    /**
     * What bringing hosts up to date did: how many hosts were judged, for how many of them the
     * index was written (the others' documents came out as the index held them), and of how many
     * hosts not judged only when they were last seen changed, in place.
     */
    public record Judged(int judged, int written, int seen) {
        public static final Judged NONE = new Judged(0, 0);
        /** No host judged; when one was last seen changed, in place. */
        static final Judged SEEN = new Judged(0, 0, 1);
        /** One host judged, its documents as the index held them. */
        static final Judged ALIKE = new Judged(1, 0);
        static final Judged WRITTEN = new Judged(1, 1);

        public Judged(int judged, int written) {
            this(judged, written, 0);
        }

        Judged plus(Judged other) {
            return new Judged(judged + other.judged, written + other.written, seen + other.seen);
        }
    }

    /**
     * How soon a change of when hosts were last seen, alone, is made searchable: the unchanged
     * pushes of those seconds in one refresh, rather than one each (26 a second at 100,000 hosts
     * pushing hourly), every one of which would drop the answers the pages keep.
     */
    static final Duration SEEN_WITHIN = Duration.ofSeconds(5);

    private final ComplianceSetup setup;
    private final Fleet fleet;
    private final FleetIndex index;
    private final ScheduledExecutorService thread;
    /** Commits on a schedule, beside the indexer thread: an fsync never holds up the next host. */
    private final ScheduledExecutorService committer;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Hosts to replace at their next indexing even when their inventory and verdict stand. */
    private final Set<String> forced = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean batchQueued = new AtomicBoolean();
    /** Whether hosts were seen, in place, since the last refresh; a refresh is then due within {@link #SEEN_WITHIN}. */
    private final AtomicBoolean seenUnrefreshed = new AtomicBoolean();
    /** The re-index the last evaluator change queued. */
    private volatile Future<Judged> reindexing;
    /** What the index holds of each host; written by the indexer thread, or for it one host each on every core ({@link EachHost}). */
    private Map<String, FleetIndex.Indexed> indexed;
    /** Changes since the last commit began: set by the indexer thread, taken by the committer. */
    private final AtomicBoolean uncommitted = new AtomicBoolean();
    /**
     * Set by {@link #close()}: a judgement or reconciliation of every host under way passes over
     * the hosts it has not reached (a judgement takes half an hour at 100,000 hosts, far longer
     * than a service manager waits for a stop), and is not taken for a whole one, so the next
     * start judges them.
     */
    private volatile boolean closing;

    /**
     * Starts the indexer thread and listens to the fleet.
     *
     * @param commitEvery how often changes are made durable
     */
    public FleetIndexer(ComplianceSetup setup, FleetIndex index, Duration commitEvery) {
        this.setup = setup;
        this.fleet = setup.fleet();
        this.index = index;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "indexer");
            t.setDaemon(true);
            return t;
        });
        this.committer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "index-commit");
            t.setDaemon(true);
            return t;
        });
        committer.scheduleWithFixedDelay(this::commitIfChanged, commitEvery.toMillis(), commitEvery.toMillis(), TimeUnit.MILLISECONDS);
        fleet.listen(this);
    }

    @Override
    public void hostRecorded(String host) {
        queued.add(host);
        if (batchQueued.compareAndSet(false, true)) {
            try {
                thread.execute(this::indexQueued);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closing: the store has the attempt, and the next start re-indexes every host.
                LOG.log(Level.INFO, "index: closed; " + host + " is indexed at the next start");
            }
        }
    }

    /**
     * Re-indexes a host whose inventory and verdict did not change but whose other records did
     * (a delivery): queued as a recorded attempt is, and replaced whatever it held.
     */
    public void changed(String host) {
        forced.add(host);
        hostRecorded(host);
    }

    @Override
    public void evaluatorChanged(Evaluator evaluator) {
        reindexing = thread.submit(() -> logged("re-indexing every host", this::judgeAnew));
    }

    /**
     * On the indexer thread: judges every host by the evaluator in force, unless every host in
     * the index was judged by one made from the same inputs ({@link Evaluator#inputs}: a restart,
     * a sync that published nothing new); then only the hosts that changed are. What the index
     * was judged by is forgotten before, and set after every host was judged, so an index judged
     * halfway (a failure, a crash) is judged again whole.
     */
    private Judged judgeAnew() throws IOException {
        Evaluator evaluator = fleet.evaluator();
        Optional<String> inputs = evaluator.inputs();
        if (inputs.isPresent() && inputs.equals(index.judgedBy())) {
            LOG.log(Level.INFO, "index: judged already by the same archives, advisories, day and code; only hosts that changed"
                    + " are indexed again");
            return reindex(evaluator, false);
        }
        index.judgedBy(Optional.empty());
        Judged judged = reindex(evaluator, true);
        if (closing) {
            LOG.log(Level.INFO, "index: stopped before every host was judged; the next start judges every host again");
            return judged;
        }
        index.judgedBy(inputs);
        uncommitted.set(true);
        return judged;
    }

    /**
     * Installs the evaluator for the mirror's published suites and the advisories now on disk,
     * which judges every host again (only those that changed, when the index was judged by the
     * same inputs).
     */
    public Judged reload(org.demi.mirror.store.MirrorStore mirror) throws IOException {
        return reload(setup.evaluator(mirror));
    }

    /** Installs {@code evaluator}, which judges every host again (see {@link #reload(org.demi.mirror.store.MirrorStore)}). */
    public Judged reload(Evaluator evaluator) throws IOException {
        fleet.evaluateWith(evaluator);
        return await(reindexing);
    }

    /** Judges the hosts whose inventory or verdict changed, removes undeclared ones. */
    public Judged reconcile() throws IOException {
        return await(thread.submit(() -> logged("reconciling the index", () -> reindex(fleet.evaluator(), false))));
    }

    /**
     * Runs {@code then} on the indexer's thread once everything queued before it is done (at a
     * start, the judgement of every host), without waiting for it: {@code then} must only hand
     * work on. A failure is logged.
     */
    public void afterQueued(Runnable then) {
        thread.execute(() -> quietly("handing on what follows the queued work", () -> {
            then.run();
            return null;
        }));
    }

    /** Waits until everything queued so far is searchable, the hosts seen unchanged too. */
    public void flush() throws IOException {
        await(thread.submit(() -> { // the thread runs its tasks in order
            if (seenUnrefreshed.getAndSet(false)) {
                index.refresh();
            }
            return Judged.NONE;
        }));
    }

    /** Indexes what is still queued, commits, and stops both threads. */
    @Override
    public void close() throws IOException {
        fleet.unlisten(this);
        closing = true;
        try {
            flush();
            committer.shutdown();
            committer.awaitTermination(1, TimeUnit.MINUTES);
            commitIfChanged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the index", e);
        } finally {
            thread.shutdown();
        }
    }

    private void indexQueued() {
        batchQueued.set(false);
        List<String> hosts = new ArrayList<>();
        for (Iterator<String> it = queued.iterator(); it.hasNext(); ) {
            hosts.add(it.next());
            it.remove();
        }
        quietly("indexing " + hosts, () -> {
            Evaluator evaluator = fleet.evaluator();
            Instant now = fleet.clock().instant();
            Judged judged = Judged.NONE;
            for (String host : hosts) {
                Optional<HostSpec> spec = fleet.host(host);
                if (spec.isPresent()) {
                    judged = judged.plus(update(spec.get(), evaluator, now, forced.remove(host)));
                }
            }
            if (judged.written() > 0) {
                seenUnrefreshed.set(false); // this refresh shows them too
                index.refresh();
            } else if (judged.seen() > 0 && seenUnrefreshed.compareAndSet(false, true)) {
                thread.schedule(() -> quietly("refreshing the index for the hosts seen", () -> {
                    if (seenUnrefreshed.getAndSet(false)) {
                        index.refresh();
                    }
                    return null;
                }), SEEN_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            }
            return judged;
        });
    }

    /** On the indexer thread: brings every declared host up to date by {@code evaluator} (all of them when {@code all}). */
    private Judged reindex(Evaluator evaluator, boolean all) throws IOException {
        if (all) {
            index.replaceAdvisories(setup.advisories());
            uncommitted.set(true);
        }
        Instant now = fleet.clock().instant();
        List<HostSpec> hosts = fleet.hosts();
        indexed();
        Judged judged = Judged.NONE;
        try {
            for (Judged j : EachHost.onEveryCore(hosts, spec -> closing ? Judged.NONE : update(spec, evaluator, now, all))) {
                judged = judged.plus(j);
            }
        } finally {
            // Also after a host that failed: every other host had its turn, and is made searchable.
            Set<String> declared = new HashSet<>();
            hosts.forEach(h -> declared.add(h.host()));
            for (String gone : new ArrayList<>(indexed().keySet())) {
                if (!declared.contains(gone)) {
                    index.removeHost(gone);
                    indexed.remove(gone);
                    uncommitted.set(true);
                }
            }
            index.refresh();
        }
        if (!closing) {
            // What the first CVE page would count over every host's CVE documents, counted now.
            quietly("counting the CVEs' tallies ahead", () -> {
                index.warm();
                return null;
            });
        }
        return judged;
    }

    /**
     * On the indexer thread: re-indexes one host unless what the index holds (inventory, verdict,
     * groups) still stands, or, judged again, the host's documents come out as they are; returns
     * whether it judged the host, and whether it wrote it.
     */
    private Judged update(HostSpec spec, Evaluator evaluator, Instant now, boolean force) throws IOException {
        FleetIndex.Indexed was = indexed().get(spec.host());
        Optional<Instant> seen = force || was == null || !was.groups().equals(spec.groups()) ? Optional.empty()
                : fleet.seenUnchanged(spec.host(), was.checksum(), was.verdict());
        if (seen.isPresent()) {
            // Pushed or collected unchanged: only when it was last seen moves, in place.
            FleetIndex.Indexed is = was.seen(seen.get());
            if (is.equals(was)) {
                return Judged.NONE;
            }
            index.seen(spec.host(), seen.get());
            indexed.put(spec.host(), is);
            uncommitted.set(true);
            return Judged.SEEN;
        }
        HostState st = fleet.state(spec, evaluator, now);
        // Judged again into the documents it has (new advisories that do not touch it), it is not written again.
        FleetIndex.Indexed is = index.replaceHost(setup.indexed(st, evaluator), Optional.ofNullable(was));
        if (is.equals(was)) {
            return Judged.ALIKE;
        }
        indexed.put(spec.host(), is);
        uncommitted.set(true);
        return Judged.WRITTEN;
    }

    private Map<String, FleetIndex.Indexed> indexed() throws IOException {
        if (indexed == null) {
            indexed = new ConcurrentHashMap<>(index.indexedHosts());
        }
        return indexed;
    }

    /** Makes the changes so far durable, if there are any; on the committer thread, or at close. */
    private void commitIfChanged() {
        if (uncommitted.getAndSet(false)) {
            quietly("committing the index", () -> {
                try {
                    index.commit();
                } catch (IOException | RuntimeException e) {
                    uncommitted.set(true); // the next commit tries again
                    throw e;
                }
                return 0;
            });
        }
    }

    /** Runs a step someone waits for; a failure is logged with its stack and passed on to the one waiting. */
    private static <T> T logged(String what, Callable<T> step) throws Exception {
        try {
            return step.call();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "index: " + what + " failed", e);
            throw e;
        }
    }

    /** Runs a step nobody waits for; a failure is logged with its stack, and the thread goes on. */
    private static void quietly(String what, Callable<?> step) {
        try {
            step.call();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "index: " + what + " failed", e);
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the indexer", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("the indexer failed", e.getCause());
        }
    }
}
