package org.demi.compliance.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;

/**
 * The one owner of the fleet's state in a process: the declared hosts, the single inventory
 * store, the evaluator in force, and who is told when any of it changes.
 *
 * <p>Collections and pushes write through {@link #inventories()}, which serialises each host's
 * attempts and announces every recorded attempt to the {@link Listener}s; a new mirror
 * snapshot or new security data is installed with {@link #evaluateWith}, which swaps the
 * evaluator atomically (evaluations already under way finish with the one they started with)
 * and announces it. Listeners are called on the thread that made the change and must only
 * take note (the index queues the host for its own thread).
 */
public final class Fleet {
    /** A host whose last good inventory is older than this is stale. */
    public static final Duration STALE_AFTER = Duration.ofHours(48);

    /** Told of changes; see the class comment for the threads it is called on. */
    public interface Listener {
        /** An attempt to collect this host was recorded (stored, unchanged or failed). */
        void hostRecorded(String host);

        /** Every host is to be judged again, by this evaluator. */
        void evaluatorChanged(Evaluator evaluator);
    }

    /**
     * Told of each stored inventory the fleet judges while it replays a host's CVE timeline, so
     * that what else needs that inventory judged by the same evaluator (the chart of open
     * advisories) need not judge it again. Called on the judging thread; must only take note.
     */
    public interface Judgements {
        void judged(Evaluator by, Map<String, Instant> firstSeen, String checksum, HostEvaluation evaluation);
    }

    /** The declared hosts, read at each call so that edits of the hosts file apply at once. */
    public interface Hosts {
        List<HostSpec> hosts() throws IOException;

        /** The declaration of the host of this name, if there is one. */
        Optional<HostSpec> host(String name) throws IOException;
    }

    private final Hosts hosts;
    private final InventoryStore store;
    private final Clock clock;
    private final AtomicReference<Evaluator> evaluator = new AtomicReference<>(Evaluator.empty());
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Judgements> judgements = new CopyOnWriteArrayList<>();
    private final CveTimelines timelines = new CveTimelines();

    public Fleet(Path dataDir, Clock clock, Hosts hosts) {
        this.hosts = hosts;
        this.clock = clock;
        this.store = new InventoryStore(dataDir, clock, this::recorded);
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    public void unlisten(Listener l) {
        listeners.remove(l);
    }

    /** {@code j} is told of every inventory judged from now on; see {@link Judgements}. */
    public void observe(Judgements j) {
        judgements.add(j);
    }

    public List<HostSpec> hosts() throws IOException {
        return hosts.hosts();
    }

    public Optional<HostSpec> host(String name) throws IOException {
        return hosts.host(name);
    }

    /** The store every collection, push and page of this process reads and writes. */
    public InventoryStore inventories() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** The evaluator in force: an empty one until the first {@link #evaluateWith}. */
    public Evaluator evaluator() {
        return evaluator.get();
    }

    /** Installs a new evaluator (after a mirror sync or new security data) and announces it. */
    public void evaluateWith(Evaluator e) {
        evaluator.set(e);
        for (Listener l : listeners) {
            l.evaluatorChanged(e);
        }
    }

    /** The host as it stands now, judged by the evaluator in force. */
    public HostState state(HostSpec h) throws IOException {
        return state(h, evaluator(), clock.instant());
    }

    /** The host as it stands at {@code now}, judged by {@code by}. */
    public HostState state(HostSpec h, Evaluator by, Instant now) throws IOException {
        Optional<HistoryEntry> last = store.lastEntry(h.host());
        Optional<InventoryStore.Stored> latest = store.latest(h.host());
        Optional<HostEvaluation> eval = latest.map(s -> by.evaluate(h.host(), s.inventory()));
        Optional<Instant> lastGood = latest.map(s -> s.received().time());
        return new HostState(h, latest, eval, last, Verdict.of(eval, last, lastGood, now, STALE_AFTER));
    }

    /**
     * The host's exposure to CVEs over its history, each of its past inventories judged by
     * {@code by} (the latest one as {@code st} already was). The host's last replay by the same
     * evaluator goes on over the entries since, judging only the inventories they bring.
     *
     * @param firstSeen when each CVE id first came in a feed
     */
    public CveTimeline cveTimeline(HostState st, Evaluator by, Map<String, Instant> firstSeen) throws IOException {
        if (by.tracker().size() == 0 || st.evaluation().isEmpty()) {
            return CveTimeline.NONE;
        }
        String latest = st.checksum();
        return timelines.replay(st.host(), store.history(st.host()), by, firstSeen, checksum -> {
            HostEvaluation e = checksum.equals(latest) ? st.evaluation().get() : by.evaluate(st.host(), store.inventory(st.host(), checksum));
            for (Judgements j : judgements) {
                j.judged(by, firstSeen, checksum, e);
            }
            return e;
        });
    }

    /**
     * When the host was last seen (its inventory last stored or confirmed unchanged), if its
     * state as recorded earlier (the inventory checksum it was evaluated from, and its verdict)
     * still stands, judged from the end of its history alone; empty when it does not. Between
     * evaluator changes, a host whose state stands needs no new evaluation, only that time.
     */
    public Optional<Instant> seenUnchanged(String host, String checksum, Verdict verdict) throws IOException {
        Optional<HistoryEntry> good = store.lastGood(host);
        if (good.isEmpty() || !good.get().checksum().orElse("").equals(checksum)) {
            return Optional.empty();
        }
        Optional<Verdict> byHistory = Verdict.fromHistory(store.lastEntry(host), Optional.of(good.get().time()), clock.instant(),
                STALE_AFTER);
        return byHistory.map(v -> v == verdict).orElse(verdict.byEvaluation()) ? Optional.of(good.get().time()) : Optional.empty();
    }

    private void recorded(String host) {
        for (Listener l : listeners) {
            l.hostRecorded(host);
        }
    }
}
