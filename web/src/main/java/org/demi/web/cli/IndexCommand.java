package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.demi.index.FleetIndex;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.compliance.fleet.HostState;
import org.demi.compliance.host.HostSpec;
import org.demi.index.IndexedHost;
import org.demi.web.mirror.MirrorSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code demi index}: the search index under {@code <data>/index}. */
@Command(name = "index", mixinStandardHelpOptions = true, description = "The search index of hosts, packages and advisories.",
        subcommands = {IndexCommand.Rebuild.class})
final class IndexCommand implements Runnable {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an index command is required (rebuild)");
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"Recreate the index from the data directory.",
                "Recreates the index from the data directory: every host's latest inventory evaluated",
                    "against the published mirror and the advisories. Not while demi serve runs (it holds the index)."})
    static final class Rebuild implements Callable<Integer> {
        @ParentCommand
        IndexCommand parent;

        @Override
        public Integer call() throws IOException {
            Clock clock = Clock.systemUTC();
            ComplianceSetup setup = new ComplianceSetup(parent.demi.global.configuration().withClock(clock));
            MirrorSetup mirror = new MirrorSetup(parent.demi.global.configuration().withClock(clock));
            long t0 = System.nanoTime();
            var evaluator = setup.evaluator(mirror.store());
            java.util.concurrent.atomic.AtomicInteger hosts = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicLong docs = new java.util.concurrent.atomic.AtomicLong();
            try (FleetIndex index = org.demi.web.app.IndexLocation.EMBEDDED.open(setup)) {
                index.clear();
                List<HostSpec> all = setup.hosts();
                // On a terminal, one line redrawn as the hosts go by; in a log, nothing until the end.
                java.io.Console console = System.console();
                PrintWriter progress = parent.spec.commandLine().getOut();
                // The hosts spread over every core, as the server re-indexes them; a host that fails
                // fails the rebuild, named, once the others had their turn.
                org.demi.web.compliance.EachHost.onEveryCore(all, h -> {
                    HostState st = setup.fleet().state(h, evaluator, clock.instant());
                    index.replaceHost(setup.indexed(st, evaluator));
                    long made = docs.addAndGet(1 + st.evaluation().map(e -> e.packages().size()).orElse(0));
                    int done = hosts.incrementAndGet();
                    if (console != null && (done % 100 == 0 || done == all.size())) {
                        synchronized (progress) {
                            progress.printf("\r  %d/%d hosts, %d documents", done, all.size(), made);
                            progress.flush();
                        }
                    }
                    return done;
                });
                if (console != null && !all.isEmpty()) {
                    progress.println();
                }
                index.replaceAdvisories(setup.advisories());
                index.commit();
            }
            PrintWriter out = parent.spec.commandLine().getOut();
            out.printf("index rebuilt: %d hosts, %d host and package documents, in %.1f s%n", hosts.get(), docs.get(),
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
