package org.demi.web.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.RecordedElsewhere;
import org.demi.index.FleetIndex;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.sync.OnDemandPool;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.web.access.AuditLog;
import org.demi.web.access.LogInThrottle;
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.access.Sessions;
import org.demi.web.access.UsersFile;
import org.demi.web.cli.CollectCommand;
import org.demi.web.cli.MirrorCommand;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.compliance.fleet.ExposureHistory;
import org.demi.web.compliance.FleetIndexer;
import org.demi.web.compliance.FleetPrefetch;
import org.demi.web.mirror.MirrorSetup;
import org.demi.web.metrics.FleetGauges;
import org.demi.web.metrics.Metrics;
import org.demi.web.metrics.MetricsHandler;
import org.demi.web.mirror.MirrorStatus;
import org.demi.web.notify.FleetEvents;
import org.demi.web.notify.Notifier;
import org.demi.web.sbom.Sboms;
import org.demi.web.serve.DemiServer;
import org.demi.web.serve.Network;
import org.demi.web.ui.Pages;
import org.demi.web.ui.WebInterface;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The one place that builds {@code demi serve}: every component made once, from one
 * {@link Configuration} and the server's {@link Options}, each given what it depends on:
 * <pre>
 * Configuration ─► ComplianceSetup ─► Fleet (hosts, the one InventoryStore, the evaluator in force)
 *               ─► MirrorSetup ─► MirrorStore, upstreams, on-demand pool, Syncer
 * Fleet ──events──► FleetIndexer (its own thread) ─► FleetIndex ◄── Pages ◄── WebInterface
 * MirrorStore, PushHandler(InventoryStore), WebInterface ─► DemiServer (the Jetty tree)
 * background thread: sync ─► new evaluator;  collect ─► InventoryStore;  replay ─► ExposureHistory
 * FleetIndex, mirror status, AdvisoryFeeds ─► FleetGauges (/metrics, Metrics) and FleetEvents ─► Notifier (its own threads)
 * LogIn, UsersHandler, the deliveries of collect ─► AuditLog ◄── demi's own commands
 * </pre>
 * The command line and the tests build it the same way.
 */
public final class Application implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Application.class.getName());
    /** How far back the overview's chart of open advisories reaches. */
    public static final int EXPOSURE_DAYS = 90;

    /**
     * How {@code demi serve} runs.
     *
     * @param syncInterval    between mirror syncs (the first at start); zero for none
     * @param collectInterval between collections of the SSH and local hosts (the first at start); zero for none
     * @param commitEvery     how often the index's changes are made durable
     * @param advisoriesInterval between fetches of the security tracker's lists (the first at start); zero for none
     * @param advisorySources where they are fetched from
     * @param index           where the fleet's index is kept
     */
    public record Options(Network network, Duration syncInterval, Duration collectInterval, Duration commitEvery,
            Duration advisoriesInterval, AdvisoryFeeds.Sources advisorySources, IndexLocation index) {
        /** Fetching no advisories: for tests, which load their own. */
        public Options(Network network, Duration syncInterval, Duration collectInterval, Duration commitEvery) {
            this(network, syncInterval, collectInterval, commitEvery, Duration.ZERO, AdvisoryFeeds.Sources.DEFAULT, IndexLocation.EMBEDDED);
        }

        /** This, with the index kept there. */
        public Options withIndex(IndexLocation where) {
            return new Options(network, syncInterval, collectInterval, commitEvery, advisoriesInterval, advisorySources, where);
        }

        public static final Duration COMMIT_EVERY = Duration.ofSeconds(10);
    }

    private final Configuration configuration;
    private final Options options;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ComplianceSetup compliance;
    private final MirrorSetup mirror;
    private final Map<String, Upstream> upstreams;
    private final FleetIndex index;
    private final FleetIndexer indexer;
    private final ExposureHistory exposure;
    private final Optional<String> firstRunPassword;
    private final Server server;
    private final ScheduledExecutorService background;
    private final AdvisoryFeeds feeds;
    /** What /metrics reports: counted as the server runs, or read at each scrape. */
    private final Metrics metrics = new Metrics();
    private final AuditLog audit;
    private final Notifier notifier;
    /** Where the notifier's rounds run: never on the threads that collect, sync or serve. */
    private final ScheduledExecutorService notifying;
    /** How often the notifier looks for new states to announce. */
    static final Duration NOTIFY_EVERY = Duration.ofMinutes(1);
    /** What every page warns of, worked out by the watch (and after each fetch), not at each request. */
    private final java.util.concurrent.atomic.AtomicReference<List<String>> warnings = new java.util.concurrent.atomic.AtomicReference<>();
    /** Checks every few seconds for changes made beside the server; its own thread, so a long sync does not delay it. */
    private final ScheduledExecutorService watcher;
    /** How often {@link #watcher} looks. */
    static final Duration WATCH_EVERY = Duration.ofSeconds(2);

    private Application(Configuration configuration, Options options, PrintWriter out, PrintWriter err) throws IOException {
        this.configuration = configuration;
        this.options = options;
        this.out = out;
        this.err = err;
        this.compliance = new ComplianceSetup(configuration);
        this.mirror = new MirrorSetup(configuration);
        this.upstreams = mirror.upstreams(w -> LOG.log(Level.WARNING, "apt sources: " + w));
        mirror.publishServerKey();
        OnDemandPool onDemand = mirror.onDemand(upstreams);
        this.index = options.index().open(compliance);
        this.indexer = new FleetIndexer(compliance, index, options.commitEvery());
        UsersFile users = new UsersFile(configuration.dataDir());
        this.audit = new AuditLog(configuration.dataDir(), configuration.clock());
        SecureRandom random = new SecureRandom();
        this.firstRunPassword = Optional.ofNullable(users.firstRunAdmin(random));
        this.exposure = new ExposureHistory(compliance.inventories(), configuration.clock(), compliance::cveFirstSeen);
        compliance.fleet().observe(exposure);
        this.feeds = new AdvisoryFeeds(compliance.advisoriesDir(), configuration.clock());
        refreshWarnings();
        MirrorStatus.Source mirrorRows = () -> MirrorStatus.of(mirror.store(), upstreams);
        this.notifier = new Notifier(configuration.configDir().resolve("notify"), new FleetEvents(index, mirrorRows, feeds,
                configuration.clock()), configuration.dataDir().resolve("notify"),
                Configuration.machineName(), configuration.clock(), Notifier.Backoff.DEFAULT);
        this.notifying = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notify-rounds");
            t.setDaemon(true);
            return t;
        });
        metrics.register(new FleetGauges(index, mirrorRows, feeds, configuration.clock()));
        WebInterface web = new WebInterface(new Pages(index, compliance.inventories(), mirrorRows,
                exposure::latest, () -> compliance.fleet().evaluator().tracker(), compliance.deliveries()), users, new Sessions(random, configuration.clock()),
                new LogInThrottle(configuration.clock()), random, warnings::get, metrics, audit,
                (host, format) -> Sboms.of(compliance.fleet(), compliance.fleet().evaluator(), host, configuration.clock().instant(), format));
        this.server = DemiServer.build(options.network(), mirror.store(), onDemand,
                Optional.of(new DemiServer.Push(compliance::host, compliance.pushTokens(), compliance.inventories(), metrics)), Optional.of(web),
                Optional.of(new MetricsHandler(metrics)));
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync-and-collect");
            t.setDaemon(true);
            return t;
        });
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds everything; nothing runs until {@link #start()}.
     *
     * @param out where the syncs and collections report, host by host and suite by suite
     * @param err where they report what failed
     */
    public static Application build(Configuration configuration, Options options, PrintWriter out, PrintWriter err)
            throws IOException {
        return new Application(configuration, options, out, err);
    }

    /**
     * Judges the fleet by the mirror as it is (the index catches up on its own thread), starts
     * serving, then, on the background thread: the first sync and collection, and their
     * repetitions, and the chart once the indexer has judged every host. The evaluator is in
     * place before the first push can arrive, so no host is ever indexed as judged by nothing.
     */
    public void start() throws Exception {
        compliance.fleet().evaluateWith(compliance.evaluator(mirror.store()));
        server.start();
        // The chart once every host is judged: it takes the inventories judged on the way instead of judging them again.
        indexer.afterQueued(() -> {
            try {
                background.execute(() -> step("the chart of open advisories", () -> exposure.compute(compliance.fleet(), EXPOSURE_DAYS)));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.log(Level.INFO, "closing before every host was judged: the chart of open advisories is computed at the next start");
            }
        });
        if (!options.syncInterval().isZero() && !upstreams.isEmpty()) {
            background.scheduleWithFixedDelay(() -> step("mirror sync", this::sync), 0, options.syncInterval().toSeconds(),
                    TimeUnit.SECONDS);
        }
        if (!options.advisoriesInterval().isZero()) {
            background.scheduleWithFixedDelay(() -> step("fetching the advisory lists", this::fetchAdvisories), 0,
                    options.advisoriesInterval().toSeconds(), TimeUnit.SECONDS);
        }
        if (!options.collectInterval().isZero()) {
            background.scheduleWithFixedDelay(() -> step("collection", this::collect), 0, options.collectInterval().toSeconds(),
                    TimeUnit.SECONDS);
        }
        notifying.scheduleWithFixedDelay(() -> step("notifying", notifier::round), NOTIFY_EVERY.toSeconds(), NOTIFY_EVERY.toSeconds(),
                TimeUnit.SECONDS);
        ChangeWatch hosts = new ChangeWatch(List.of(compliance.hostsFile()));
        ChangeWatch advisories = new ChangeWatch(AdvisoryFeeds.LISTS.stream().map(compliance.advisoriesDir()::resolve).toList());
        // Lists installed by demi advisories, a fetch of serve's own, or anything else: the watch
        // alone judges the fleet by them, once each time they change. Hosts a demi collect or a demi
        // deliver beside the server recorded are indexed as after the server's own.
        watcher.scheduleWithFixedDelay(() -> step("looking for changes beside the server", () -> {
            refreshWarnings();
            if (advisories.changed()) {
                judge(compliance.evaluator(mirror.store()), "against the advisory lists, which changed");
            } else if (hosts.changed()) {
                indexer.reconcile();
            }
            var elsewhere = compliance.recordedElsewhere();
            elsewhere.take(RecordedElsewhere.Kind.COLLECTED).forEach(indexer::hostRecorded);
            elsewhere.take(RecordedElsewhere.Kind.DELIVERED).forEach(indexer::changed);
        }), WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fetches the security tracker's lists; the watch judges the fleet by those installed. */
    public void fetchAdvisories() throws IOException {
        feeds.sync(options.advisorySources(), out, err);
        refreshWarnings();
    }

    /** Judges every host by {@code evaluator} and replays the chart; {@code against} says by what. */
    private void judge(Evaluator evaluator, String against) throws IOException {
        FleetIndexer.Judged judged = indexer.reload(evaluator);
        out.println("index: " + judged.judged() + " host(s) judged again " + against + ", " + judged.written() + " of them changed");
        out.flush();
        exposure.compute(compliance.fleet(), EXPOSURE_DAYS);
    }

    /** What every page warns of: missing, failed or old advisory lists. */
    public List<String> warnings() {
        return warnings.get();
    }

    private void refreshWarnings() {
        try {
            warnings.set(feeds.warnings());
        } catch (IOException e) {
            warnings.set(List.of("The advisory lists could not be read: " + e.getMessage()));
        }
    }

    /** Syncs every upstream, then judges the fleet by what was published. */
    public void sync() throws IOException {
        MirrorCommand.run(mirror.syncer(), upstreams, mirror::fetcher, out, err);
        Evaluator evaluator = compliance.evaluator(mirror.store());
        if (mirror.fetchDebianData(upstreams, evaluator::newest, out)) {
            evaluator = compliance.evaluator(mirror.store()); // with the release dates and support lists just fetched
        }
        judge(evaluator, "against the mirror");
    }

    /** Collects the SSH and local hosts; fetches what the fleet pool needs; catches the index up. */
    public void collect() throws IOException {
        for (CollectMethod method : List.of(CollectMethod.SSH, CollectMethod.LOCAL)) {
            List<HostSpec> hosts = compliance.hosts().stream().filter(h -> h.collect() == method).toList();
            if (!hosts.isEmpty()) {
                long started = System.nanoTime();
                int failed = CollectCommand.collect(compliance, hosts, out);
                metrics.collection(method.word(), Duration.ofNanos(System.nanoTime() - started), failed);
            }
        }
        // The evaluator in force already holds the mirror's archives: they are not read again.
        FleetPrefetch.run(compliance.fleet()::evaluator, compliance.inventories(), upstreams, mirror.onDemand(upstreams),
                compliance.hosts(), out);
        // Hosts declared "Deliver: yes" get their updates over SSH, judged by the same evaluator.
        List<HostSpec> delivered = compliance.hosts().stream().filter(HostSpec::deliver).toList();
        if (!delivered.isEmpty()) {
            int failed = org.demi.web.cli.DeliverCommand.deliver(compliance, mirror, upstreams, compliance.fleet().evaluator(), delivered,
                    List.of(), out);
            audit.record("demi serve", "schedule", "deliver", String.join(" ", delivered.stream().map(HostSpec::host).toList()),
                    failed == 0 ? "ok" : failed + " failed", "the hosts declared Deliver: yes, after their collection");
            delivered.forEach(h -> indexer.changed(h.host()));
        }
        indexer.reconcile();
        exposure.compute(compliance.fleet(), EXPOSURE_DAYS);
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A background step: a failure is logged with its stack, and the next run comes as scheduled. */
    private static void step(String what, Step s) {
        try {
            s.run();
        } catch (Exception e) {
            LOG.log(Level.ERROR, what + " failed: " + e.getMessage(), e);
        }
    }

    /** The admin password made at the first start, to be shown once; empty on later starts. */
    public Optional<String> firstRunPassword() {
        return firstRunPassword;
    }

    public Map<String, Upstream> upstreams() {
        return upstreams;
    }

    /** The port listened on (the one the system chose, for port 0). */
    /** The port of the main address (HTTPS when the server speaks it). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The port of the plain HTTP address beside HTTPS, if there is one. */
    public java.util.OptionalInt plainPort() {
        return server.getConnectors().length > 1 && !DemiServer.METRICS_CONNECTOR.equals(server.getConnectors()[1].getName())
                ? java.util.OptionalInt.of(((ServerConnector) server.getConnectors()[1]).getLocalPort()) : java.util.OptionalInt.empty();
    }

    /** The port of the {@code --metrics-listen} address, if there is one. */
    public java.util.OptionalInt metricsPort() {
        for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
            if (DemiServer.METRICS_CONNECTOR.equals(c.getName())) {
                return java.util.OptionalInt.of(((ServerConnector) c).getLocalPort());
            }
        }
        return java.util.OptionalInt.empty();
    }

    public ComplianceSetup compliance() {
        return compliance;
    }

    public MirrorSetup mirror() {
        return mirror;
    }

    public FleetIndex index() {
        return index;
    }

    public FleetIndexer indexer() {
        return indexer;
    }

    public ExposureHistory exposure() {
        return exposure;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops serving and the background work, indexes what is queued, commits, and closes the index. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
            notifying.shutdownNow();
            notifier.close();
            watcher.shutdownNow();
            background.shutdownNow();
            background.awaitTermination(30, TimeUnit.SECONDS);
        } finally {
            try {
                indexer.close();
            } finally {
                index.close();
            }
        }
    }
}
