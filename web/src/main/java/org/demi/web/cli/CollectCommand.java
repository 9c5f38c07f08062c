package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.demi.compliance.collect.LocalCollector;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.web.compliance.ComplianceSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi collect}: fetches the hosts' inventories now. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Collect the inventories of the given hosts, or of all.",
                "Over SSH (the checksum first, the inventory only when it changed; host keys checked against <data>/keys/known_hosts), or",
                "the local machine's files. Push hosts send theirs themselves. Every attempt is recorded in",
                "the host's history; exit 1 when a host could not be collected. Then, for upstreams with",
                "pool=fleet, fetches the pool files the hosts need to reach their candidate versions."})
public final class CollectCommand implements Callable<Integer> {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "HOST", description = "Declared hosts to collect (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ComplianceSetup setup = new ComplianceSetup(demi.global.configuration());
        List<HostSpec> all = setup.hosts();
        List<HostSpec> chosen = setup.hosts(names);
        // A server running beside this command indexes what it recorded within seconds, not at its own next collection.
        java.util.Set<String> recorded = java.util.concurrent.ConcurrentHashMap.newKeySet();
        setup.fleet().listen(new org.demi.compliance.fleet.Fleet.Listener() {
            @Override
            public void hostRecorded(String host) {
                recorded.add(host);
            }

            @Override
            public void evaluatorChanged(org.demi.compliance.evaluation.Evaluator evaluator) {
            }
        });
        int failed = setup.recordedElsewhere().after(org.demi.compliance.inventory.RecordedElsewhere.Kind.COLLECTED, recorded,
                () -> collect(setup, chosen, spec.commandLine().getOut()));
        org.demi.web.mirror.MirrorSetup mirror = new org.demi.web.mirror.MirrorSetup(demi.global.configuration());
        var upstreams = mirror.upstreams(w -> spec.commandLine().getErr().println("demi: warning: " + w));
        var fleet = org.demi.web.compliance.FleetPrefetch.run(() -> setup.evaluator(mirror.store()), setup.inventories(), upstreams, mirror.onDemand(upstreams), all,
                spec.commandLine().getOut());
        return failed == 0 && fleet.failed() == 0 ? 0 : 1;
    }

    /** Collects {@code chosen}, printing one line per host; returns how many could not be collected. */
    public static int collect(ComplianceSetup setup, List<HostSpec> chosen, PrintWriter out) throws IOException {
        InventoryStore store = setup.inventories();
        LocalCollector local = setup.localCollector();
        int failed = 0;
        List<HostSpec> ssh = chosen.stream().filter(h -> h.collect() == org.demi.compliance.host.CollectMethod.SSH).toList();
        java.util.Map<String, HistoryEntry> pulled = java.util.Map.of();
        if (!ssh.isEmpty()) {
            try (var collector = setup.sshCollector()) {
                pulled = collector.collectAll(ssh, store);
            }
        }
        for (HostSpec h : chosen) {
            HistoryEntry e = switch (h.collect()) {
                case LOCAL -> local.collect(h.host(), store);
                case SSH -> pulled.get(h.host());
                case PUSH -> null;
            };
            if (e == null) {
                out.println(h.host() + ": push host; it sends its inventory itself");
                continue;
            }
            out.println(h.host() + ": " + e.outcome().word() + e.checksum().map(c -> " " + c.substring(0, 12)).orElse("")
                    + (e.detail().isEmpty() ? "" : ": " + e.detail()));
            if (!e.outcome().good()) {
                failed++;
            }
        }
        out.flush();
        return failed;
    }
}
