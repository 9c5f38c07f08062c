package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.HostKernel;
import org.demi.compliance.evaluation.OpenAdvisory;
import org.demi.compliance.evaluation.PackageState;
import org.demi.compliance.host.HostSpec;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.web.mirror.MirrorSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code demi report}: the fleet's state, one row per host. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Print every host's state, one row per host.",
                "Release, verdict, package counts, pending updates and security updates, open advisories and",
                "the date of the oldest, the kernel it runs and whether it must reboot or restart services, last",
                "successful collection.",
                "Evaluated against the mirror's published suites and the imported advisory lists."})
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fail-on", split = ",", paramLabel = "CONDITION",
            description = "Exit 1 when any host matches, for cron and monitoring checks: non-compliant (any host not "
                    + "compliant), security-update (a pending security update), advisory (an open advisory), fixable-cve (an "
                    + "open CVE whose fix the mirror offers), reboot (must reboot to run what it installed), restart (services "
                    + "to restart), stale (no fresh "
                    + "inventory: stale, unreachable or never collected). Several, comma-separated or repeated.")
    List<String> failOn = List.of();

    static final List<String> CONDITIONS = List.of("non-compliant", "security-update", "advisory", "fixable-cve", "reboot", "restart",
            "stale");

    /**
     * @param cveStates per CVE state, how many distinct CVEs (fixed and not-affected included)
     * @param openCvesByUrgency per urgency, how many distinct CVEs the host is open to
     * @param cves      in JSON, every CVE the tracker lists for an installed source, with its state
     * @param limitedSupport installed packages whose security support ended, ends early or is limited: {@code name: why}
     * @param deliveredNotInstalled updates delivered over SSH and not installed yet: {@code name:arch version (since T)}
     * @param installCommand the command that installs them on the host
     * @param kernel    the kernel release it runs ({@code uname -r}), empty when it does not say
     * @param kernelVersion the Debian version of that kernel, when it is one of the host's Debian images
     * @param rebootRequired why it must reboot to run what it has installed; empty when it need not (or does not say)
     * @param servicesToRestart the services needrestart names as running outdated code
     */
    record Row(String host, List<String> groups, String collect, String release, String support, String verdict, int packages,
            long updates, long securityUpdates, long notInArchive, List<String> openAdvisories, String oldestOpenAdvisory,
            String lastSeen, Map<String, Integer> cveStates, Map<String, Integer> openCvesByUrgency, List<CveRow> cves,
            List<String> limitedSupport, List<String> deliveredNotInstalled, String installCommand, String kernel,
            String kernelVersion, List<String> rebootRequired, List<String> servicesToRestart) {
        int openCves() {
            return cveStates.entrySet().stream().filter(e -> org.demi.compliance.evaluation.CveState.of(e.getKey()).orElseThrow().open())
                    .mapToInt(Map.Entry::getValue).sum();
        }
    }

    /** One CVE of one installed source of a host, in the words of the tracker and of Demi's states. */
    record CveRow(String id, String source, String installedSourceVersion, List<String> binaries, String state, String urgency,
            boolean urgencyFromNvd, String scope, String fixedVersion, String nodsa, String nodsaReason, List<String> advisories,
            String since) {
        static CveRow of(org.demi.compliance.evaluation.HostCve c, Map<String, Instant> since) {
            Instant t = since.get(org.demi.compliance.fleet.CveTimeline.key(c));
            return new CveRow(c.id(), c.source(), c.installedSourceVersion().toString(), c.binaries(), c.state().word(),
                    c.tracker().urgency().term(), c.tracker().fromNvd(), c.scope(),
                    c.fixedVersion() == null ? (c.tracker().notAffected() ? "0" : "") : c.fixedVersion().toString(), c.tracker().noDsa(),
                    c.tracker().noDsaReason(), c.advisories(), t == null ? "" : t.toString());
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!List.of("text", "csv", "json").contains(format)) {
            throw new BadInputException("--format must be text, csv or json, not '" + format + "'");
        }
        for (String c : failOn) {
            if (!CONDITIONS.contains(c)) {
                throw new BadInputException("--fail-on takes " + String.join(", ", CONDITIONS) + "; not '" + c + "'");
            }
        }
        Clock clock = Clock.systemUTC();
        ComplianceSetup setup = new ComplianceSetup(demi.global.configuration().withClock(clock));
        MirrorSetup mirror = new MirrorSetup(demi.global.configuration().withClock(clock));
        Evaluator evaluator = setup.evaluator(mirror.store());
        List<Row> rows = new ArrayList<>();
        Instant now = clock.instant();
        for (HostSpec h : setup.hosts()) {
            org.demi.compliance.fleet.HostState st = setup.fleet().state(h, evaluator, now);
            Optional<HostEvaluation> eval = st.evaluation();
            List<org.demi.compliance.delivery.Waiting> waiting = setup.waiting(st);
            rows.add(new Row(h.host(), h.groups(), h.collect().word(),
                    eval.flatMap(HostEvaluation::release).orElse(""), eval.map(e -> e.support().word()).orElse(""),
                    st.verdict().word(), eval.map(e -> e.packages().size()).orElse(0),
                    eval.map(e -> e.count(PackageState.UPDATE)).orElse(0L),
                    eval.map(e -> e.count(PackageState.SECURITY_UPDATE)).orElse(0L),
                    eval.map(e -> e.count(PackageState.NOT_IN_ARCHIVE)).orElse(0L),
                    eval.map(e -> e.openAdvisories().stream().map(OpenAdvisory::id).distinct().toList()).orElse(List.of()),
                    eval.flatMap(HostEvaluation::oldestOpenAdvisory).map(Object::toString).orElse(""),
                    st.lastSeen().map(Instant::toString).orElse(""),
                    eval.map(ReportCommand::cveStates).orElse(Map.of()), eval.map(ReportCommand::openByUrgency).orElse(Map.of()),
                    format.equals("json") ? cveRows(eval, setup.fleet().cveTimeline(st, evaluator, setup.cveFirstSeen())) : List.of(),
                    eval.map(e -> e.packages().stream().filter(p -> p.supportLimit().isPresent())
                            .map(p -> p.qualifiedName() + ": " + p.supportLimit().get().describe()).toList()).orElse(List.of()),
                    waiting.stream().map(w -> w.qualifiedName() + " " + w.delivered() + " (delivered " + w.since() + ")").toList(),
                    org.demi.compliance.delivery.Waiting.installCommand(waiting),
                    eval.flatMap(HostEvaluation::kernel).flatMap(HostKernel::release).orElse(""),
                    eval.flatMap(HostEvaluation::kernel).flatMap(HostKernel::runningVersion).map(Object::toString).orElse(""),
                    eval.map(e -> e.restarts().reboot()).orElse(List.of()), eval.map(e -> e.restarts().services()).orElse(List.of())));
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "json" -> {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("generated", now.toString());
                doc.put("hosts", rows);
                out.println(org.demi.web.json.Json.MAPPER.writeValueAsString(doc));
            }
            case "csv" -> {
                out.println("host,groups,collect,release,support,verdict,packages,updates,security_updates,not_in_archive,"
                        + "open_advisories,oldest_open_advisory,last_seen,open_cves,fix_available_cves,fixed_pending_reboot_cves,kernel,"
                        + "reboot_required,restart_services");
                for (Row r : rows) {
                    out.println(String.join(",", csv(r.host()), csv(String.join(" ", r.groups())), r.collect(), csv(r.release()),
                            r.support(), r.verdict(), Integer.toString(r.packages()), Long.toString(r.updates()),
                            Long.toString(r.securityUpdates()), Long.toString(r.notInArchive()),
                            csv(String.join(" ", r.openAdvisories())), r.oldestOpenAdvisory(), r.lastSeen(),
                            Integer.toString(r.openCves()), Integer.toString(r.cveStates().getOrDefault("fix-available", 0)),
                            Integer.toString(r.cveStates().getOrDefault("fixed-pending-reboot", 0)), csv(r.kernel()),
                            r.rebootRequired().isEmpty() ? "no" : "yes", csv(String.join(" ", r.servicesToRestart()))));
                }
            }
            default -> {
                out.printf("%-20s %-10s %-16s %8s %8s %8s %9s  %-10s %6s %6s  %s%n", "HOST", "RELEASE", "VERDICT", "PACKAGES",
                        "UPDATES", "SECURITY", "ADVISORY", "OLDEST", "CVES", "FIXABLE", "LAST SEEN");
                for (Row r : rows) {
                    out.printf("%-20s %-10s %-16s %8d %8d %8d %9d  %-10s %6d %6d  %s%n", r.host(),
                            r.release().isEmpty() ? "?" : r.release() + ("not-mirrored".equals(r.support()) ? "*" : ""),
                            r.verdict(), r.packages(), r.updates(), r.securityUpdates(), r.openAdvisories().size(),
                            r.oldestOpenAdvisory().isEmpty() ? "-" : r.oldestOpenAdvisory(), r.openCves(),
                            r.cveStates().getOrDefault("fix-available", 0),
                            r.lastSeen().isEmpty() ? "never" : r.lastSeen());
                }
                if (rows.stream().anyMatch(r -> "not-mirrored".equals(r.support()))) {
                    out.println("* no suite of the mirror serves this release; its packages count as not in the archive");
                }
            }
        }
        out.flush();
        List<String> matched = new ArrayList<>();
        for (String c : failOn) {
            List<String> hosts = rows.stream().filter(r -> matches(r, c)).map(Row::host).toList();
            if (!hosts.isEmpty()) {
                matched.add(c + ": " + String.join(" ", hosts));
            }
        }
        if (!matched.isEmpty()) {
            spec.commandLine().getErr().println("demi: --fail-on " + String.join("; ", matched));
            spec.commandLine().getErr().flush();
            return Demi.FAILURE;
        }
        return 0;
    }

    static Map<String, Integer> cveStates(HostEvaluation e) {
        Map<String, Integer> out = new LinkedHashMap<>();
        e.cveCounts().forEach((k, v) -> out.put(k.word(), v));
        return out;
    }

    static Map<String, Integer> openByUrgency(HostEvaluation e) {
        Map<org.demi.compliance.tracker.Urgency, java.util.Set<String>> ids = new java.util.EnumMap<>(org.demi.compliance.tracker.Urgency.class);
        e.openCves().forEach(c -> ids.computeIfAbsent(c.tracker().urgency(), u -> new java.util.HashSet<>()).add(c.id()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (org.demi.compliance.tracker.Urgency u : org.demi.compliance.tracker.Urgency.values()) {
            out.put(u.term(), ids.getOrDefault(u, java.util.Set.of()).size());
        }
        return out;
    }

    static List<CveRow> cveRows(Optional<HostEvaluation> eval, org.demi.compliance.fleet.CveTimeline timeline) {
        return eval.map(e -> e.allCves().sorted(org.demi.compliance.evaluation.HostCve.BY_CONCERN)
                .map(c -> CveRow.of(c, timeline.since())).toList()).orElse(List.of());
    }

    private static boolean matches(Row r, String condition) {
        return switch (condition) {
            case "non-compliant" -> !r.verdict().equals("compliant");
            case "security-update" -> r.securityUpdates() > 0;
            case "advisory" -> !r.openAdvisories().isEmpty();
            case "fixable-cve" -> r.cveStates().getOrDefault("fix-available", 0) > 0;
            case "reboot" -> !r.rebootRequired().isEmpty();
            case "restart" -> !r.servicesToRestart().isEmpty();
            default -> List.of("stale", "unreachable", "never-collected").contains(r.verdict());
        };
    }

    private static String csv(String s) {
        return s.matches("[^,\"\\r\\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
