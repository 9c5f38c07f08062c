package org.demi.web.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.demi.compliance.delivery.Delivery;
import org.demi.compliance.delivery.DeliveryLog;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.fleet.HostState;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.ssh.DeliveryFile;
import org.demi.compliance.ssh.SshCollector;
import org.demi.deb.BadInputException;
import org.demi.deb.packages.PackageName;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.web.compliance.DeliveryPlan;
import org.demi.web.compliance.DependencyClosure;
import org.demi.mirror.source.Upstream;
import org.demi.web.mirror.MirrorSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi deliver}: sends SSH hosts what their own apt needs to install their updates offline. */
@Command(name = "deliver", mixinStandardHelpOptions = true,
        description = {"Delivers SSH hosts' updates over SSH, for their own apt.",
                "For each host (default: every SSH host), the release files of its release's suites as the mirror",
                "verified them, their package indices for its architecture, and the .deb of each pending update,",
                "into its demi-client repository (only what it does not hold yet). The host's apt then checks",
                "Debian's signature and every hash itself. Exit 1 when a host could not take its delivery."})
public final class DeliverCommand implements Callable<Integer> {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "HOST", description = "Declared SSH hosts to deliver to (default: all of them).")
    List<String> names = new ArrayList<>();

    @CommandLine.Option(names = "--package", paramLabel = "NAME",
            description = {"Also a package the host does not have, with what it needs (Pre-Depends, Depends; not Recommends)",
                    "that the host lacks, for 'apt-get install --no-install-recommends NAME' there; asked for again",
                    "in each delivery until the host has it. Repeatable."})
    List<String> packages = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ComplianceSetup setup = new ComplianceSetup(demi.global.configuration());
        MirrorSetup mirror = new MirrorSetup(demi.global.configuration());
        PrintWriter out = spec.commandLine().getOut();
        List<HostSpec> chosen = new ArrayList<>();
        for (HostSpec h : setup.hosts(names)) {
            if (h.collect() == CollectMethod.SSH) {
                chosen.add(h);
            } else if (!names.isEmpty()) {
                throw new BadInputException(h.host() + " is collected by " + h.collect().word() + "; deliveries go over SSH only");
            }
        }
        packages.forEach(PackageName::check);
        var upstreams = mirror.upstreams(w -> spec.commandLine().getErr().println("demi: warning: " + w));
        // A server running beside this command indexes what now waits on the hosts within seconds.
        int failed = setup.recordedElsewhere().after(org.demi.compliance.inventory.RecordedElsewhere.Kind.DELIVERED,
                chosen.stream().map(HostSpec::host).toList(),
                () -> deliver(setup, mirror, upstreams, setup.evaluator(mirror.store()), chosen, packages, out));
        return failed == 0 ? 0 : 1;
    }

    /**
     * Delivers to each of {@code hosts} (SSH hosts) what its apt needs, judged by {@code evaluator},
     * with the packages {@code ask} names and those asked for before that the host does not have yet;
     * one line per host, each recorded in its delivery log; returns how many could not take theirs.
     */
    public static int deliver(ComplianceSetup setup, MirrorSetup mirror, Map<String, Upstream> upstreams,
            Evaluator evaluator, List<HostSpec> hosts, List<String> ask, PrintWriter out) throws IOException {
        var onDemand = mirror.onDemand(upstreams);
        DeliveryPlan.Pool pool = (upstream, entry) -> mirror.store().pool().has(entry.sha256())
                ? Optional.of(mirror.store().pool().path(entry.sha256())) : onDemand.ensure(upstream, entry.path());
        int failed = 0;
        DeliveryLog log = setup.deliveries();
        Instant now = setup.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        // The plans one host after the other (they share the mirror's on-demand fetches), then
        // the transfers side by side, as many at once as collections.
        Map<HostSpec, DeliveryPlan> plans = new LinkedHashMap<>();
        Map<HostSpec, List<String>> asked = new LinkedHashMap<>();
        DependencyClosure.Cache closures = new DependencyClosure.Cache(mirror.store(), upstreams.keySet());
        for (HostSpec h : hosts) {
            HostState st = setup.fleet().state(h, evaluator, setup.clock().instant());
            if (st.evaluation().isEmpty()) {
                out.println(h.host() + ": not delivered: no inventory yet (demi collect " + h.host() + ")");
                failed++;
                continue;
            }
            Set<String> has = new HashSet<>();
            st.evaluation().get().packages().forEach(p -> has.add(p.packageName()));
            Set<String> wanted = new LinkedHashSet<>(ask);
            for (Delivery d : log.of(h.host())) {
                if (d.delivered()) {
                    wanted.addAll(d.asked());
                }
            }
            wanted.removeAll(has);
            asked.put(h, List.copyOf(wanted));
            try {
                plans.put(h, DeliveryPlan.of(mirror.store(), upstreams.keySet(), evaluator, st.evaluation().get(), pool,
                        asked.get(h), closures));
            } catch (IOException | BadInputException e) {
                out.println(h.host() + ": not delivered: " + e.getMessage());
                log.record(h.host(), new Delivery(now, false, 0, 0, 0, List.of(), String.valueOf(e.getMessage()), asked.get(h)));
                failed++;
            }
        }
        Map<HostSpec, List<DeliveryFile>> trees = new LinkedHashMap<>();
        plans.forEach((h, plan) -> trees.put(h, plan.tree()));
        Map<String, SshCollector.DeliveryAttempt> attempts;
        try (SshCollector ssh = setup.sshCollector()) {
            attempts = ssh.deliverAll(trees);
        }
        for (var e : plans.entrySet()) {
            HostSpec h = e.getKey();
            DeliveryPlan plan = e.getValue();
            SshCollector.DeliveryAttempt a = attempts.get(h.host());
            if (a.failure() != null) {
                out.println(h.host() + ": not delivered: " + a.failure());
                log.record(h.host(), new Delivery(now, false, plan.tree().size(), 0, 0, List.of(), a.failure(), asked.get(h)));
                failed++;
                continue;
            }
            SshCollector.Delivered d = a.delivered();
            List<String> names = asked.get(h);
            log.record(h.host(), new Delivery(now, true, d.files(), d.sent(), d.bytes(), plan.packages(),
                    (plan.requested().isEmpty() ? "" : "asked for: " + String.join(", ", plan.requested()) + ". ")
                    + (plan.missing().isEmpty() ? "" : "not in the mirror: " + String.join("; ", plan.missing())), names));
            out.println(h.host() + ": delivered " + d.files() + " files (" + d.sent() + " sent, " + d.bytes() + " bytes)"
                    + (plan.requested().isEmpty() ? "" : "; with " + String.join(", ", plan.requested())
                    + " for 'apt-get update && apt-get install --no-install-recommends " + String.join(" ", names) + "'")
                    + (plan.missing().isEmpty() ? "" : "; " + plan.missing().size() + " not in the mirror: "
                    + String.join("; ", plan.missing().stream().limit(5).toList()) + (plan.missing().size() > 5 ? "; ..." : "")));
        }
        out.flush();
        return failed;
    }
}
