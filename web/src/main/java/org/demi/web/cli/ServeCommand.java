package org.demi.web.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.demi.mirror.source.Upstream;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.web.mirror.MirrorSetup;
import org.demi.web.serve.DemiServer;
import org.eclipse.jetty.server.Server;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code demi serve}: the apt repository of the published mirror, synced periodically. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the mirror's published trees to apt at http://LISTEN/debian/<upstream>/, and sync them periodically.")
public final class ServeCommand implements Callable<Integer> {
    /** How far back the overview's chart of open advisories reaches. */
    static final int EXPOSURE_DAYS = 90;

    @ParentCommand
    Demi demi;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--sync-interval", defaultValue = "PT6H", paramLabel = "DURATION",
            description = "Time between mirror syncs, ISO-8601 (PT6H) or 0 for none; the first runs at start (default: ${DEFAULT-VALUE}).")
    String syncInterval;

    @Option(names = "--collect-interval", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Time between collections of the SSH and local hosts, ISO-8601 or 0 for none; the first runs "
                    + "at start (default: ${DEFAULT-VALUE}).")
    String collectInterval;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new BadInputException("--listen must be HOST:PORT, not '" + listen + "'");
        }
        InetSocketAddress address = new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
        Duration interval = duration("--sync-interval", syncInterval);
        Duration collectEvery = duration("--collect-interval", collectInterval);
        ComplianceSetup compliance = new ComplianceSetup(demi.global.configDir(), demi.global.dataDir(), Clock.systemUTC());
        MirrorSetup setup = new MirrorSetup(demi.global.configDir(), demi.global.dataDir(), Clock.systemUTC());
        Map<String, Upstream> upstreams = setup.upstreams(w -> err.println("demi: warning: " + w));
        setup.publishServerKey();
        org.demi.mirror.sync.OnDemandPool onDemand = setup.onDemand(upstreams);
        org.demi.index.FleetIndex index = IndexCommand.openForWriting(compliance);
        org.demi.web.compliance.FleetIndexer indexer = new org.demi.web.compliance.FleetIndexer(compliance, setup.store(), index,
                Clock.systemUTC());
        org.demi.web.access.UsersFile users = new org.demi.web.access.UsersFile(demi.global.dataDir());
        java.security.SecureRandom random = new java.security.SecureRandom();
        String firstPassword = users.firstRunAdmin(random);
        org.demi.web.compliance.ExposureHistory exposure = new org.demi.web.compliance.ExposureHistory(compliance.inventories(),
                Clock.systemUTC());
        org.demi.web.ui.WebHandler web = new org.demi.web.ui.WebHandler(
                new org.demi.web.ui.Pages(index, compliance.inventories(),
                        () -> org.demi.web.mirror.MirrorStatus.of(setup.store(), upstreams), exposure::latest),
                users, new org.demi.web.access.Sessions(random, Clock.systemUTC()), random);
        Server server = DemiServer.build(address, setup.store(), onDemand,
                new DemiServer.Push(compliance::hosts, compliance.pushTokens(), compliance.inventories(), host -> {
                    try {
                        indexer.hostChanged(host);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), web);
        server.start();
        out.println("demi: serving " + upstreams.size() + " upstream(s) at http://" + listen + "/debian/<upstream>/ "
                + String.join(", ", upstreams.keySet()) + "; the server's key is at http://" + listen
                + "/debian/demi-archive-key.asc");
        out.println("demi: the web interface is at http://" + listen + "/");
        if (firstPassword != null) {
            out.println("demi: first run: log in as 'admin' with the password " + firstPassword
                    + " (shown this once; demi users add admin --admin sets another)");
        }
        out.flush();
        ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mirror-sync-and-collect");
            t.setDaemon(true);
            return t;
        });
        if (!interval.isZero() && !upstreams.isEmpty()) {
            sync.scheduleWithFixedDelay(() -> {
                try {
                    MirrorCommand.run(setup.syncer(), upstreams, setup::fetcher, out, err);
                    out.println("index: " + indexer.reload() + " host(s) re-evaluated against the mirror");
                    indexer.replay(exposure, EXPOSURE_DAYS);
                    out.flush();
                } catch (Exception e) {
                    err.println("demi: mirror sync failed: " + Demi.describe(e));
                    err.flush();
                }
            }, 0, interval.toSeconds(), TimeUnit.SECONDS);
        }
        sync.execute(() -> {
            try {
                indexer.reload();
                indexer.replay(exposure, EXPOSURE_DAYS);
            } catch (Exception e) {
                err.println("demi: indexing failed: " + Demi.describe(e));
                err.flush();
            }
        });
        if (!collectEvery.isZero()) {
            sync.scheduleWithFixedDelay(() -> {
                try {
                    CollectCommand.collect(compliance, compliance.hosts().stream()
                            .filter(h -> h.collect() != org.demi.compliance.host.CollectMethod.PUSH).toList(), out);
                    org.demi.web.compliance.FleetPrefetch.run(compliance, setup.store(), upstreams, onDemand, compliance.hosts(), out);
                    indexer.reconcile();
                    indexer.replay(exposure, EXPOSURE_DAYS);
                } catch (Exception e) {
                    err.println("demi: collection failed: " + Demi.describe(e));
                    err.flush();
                }
            }, 0, collectEvery.toSeconds(), TimeUnit.SECONDS);
        }
        server.join();
        return Demi.OK;
    }

    private static Duration duration(String option, String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.toSeconds() < 1) {
                throw new BadInputException(option + " must be at least one second, or 0 for never");
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadInputException(option + " must be an ISO-8601 duration such as PT6H, or 0; not '" + text + "'");
        }
    }
}
