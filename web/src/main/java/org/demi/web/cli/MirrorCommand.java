package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.mirror.fetch.DirectoryFetcher;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.sync.Progress;
import org.demi.mirror.sync.SuiteStatus;
import org.demi.mirror.sync.Syncer;
import org.demi.mirror.store.SyncRunningException;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.web.mirror.MirrorSetup;
import org.demi.web.mirror.MirrorStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi mirror sync|import|status|key}. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = "The verified local mirror: sync, import, status, key.",
        subcommands = {MirrorCommand.Sync.class, MirrorCommand.Import.class, MirrorCommand.Status.class,
                MirrorCommand.Key.class})
public final class MirrorCommand implements Runnable {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a mirror command is required (sync, import, status, key)");
    }

    MirrorSetup setup() {
        return new MirrorSetup(demi.global.configuration());
    }

    Map<String, Upstream> upstreams(MirrorSetup setup, List<String> names, PrintWriter err) throws IOException {
        Map<String, Upstream> all = setup.upstreams(w -> err.println("demi: warning: " + w));
        if (all.isEmpty()) {
            throw new BadInputException("no upstream is configured: add one to " + demi.global.configDir().resolve("sources.list")
                    + " (apt's one-line syntax) or " + demi.global.configDir().resolve("sources.list.d/") + "*.sources");
        }
        if (names == null || names.isEmpty()) {
            return all;
        }
        Map<String, Upstream> chosen = new LinkedHashMap<>();
        for (String n : names) {
            Upstream u = all.get(n);
            if (u == null) {
                throw new BadInputException("no upstream named '" + n + "' (configured: " + String.join(", ", all.keySet()) + ")");
            }
            chosen.put(n, u);
        }
        return chosen;
    }

    /** Prints steps as lines; on a terminal, the pool transfer redraws one line. */
    static Progress progress(PrintWriter w, boolean terminal) {
        return new Progress() {
            @Override
            public void step(String message) {
                w.println(message);
                w.flush();
            }

            @Override
            public void transfer(long files, long totalFiles, long bytes, long totalBytes) {
                if (terminal) {
                    w.print("\r  pool: " + files + "/" + totalFiles + " files, " + bytes / (1 << 20) + "/"
                            + totalBytes / (1 << 20) + " MiB ");
                    if (files == totalFiles) {
                        w.println();
                    }
                    w.flush();
                }
            }
        };
    }

    public static int run(Syncer syncer, Map<String, Upstream> upstreams, java.util.function.Function<Upstream, Fetcher> fetchers,
            PrintWriter out, PrintWriter err) throws IOException {
        int failed = 0;
        for (Upstream u : upstreams.values()) {
            Syncer.Report r;
            try {
                r = syncer.sync(u, fetchers.apply(u), progress(out, System.console() != null));
            } catch (SyncRunningException e) {
                err.println("demi: " + e.getMessage());
                err.flush();
                return Demi.FAILURE;
            }
            if (!r.ok()) {
                // Each rejection was said once, with its reason, where it happened; here only which.
                failed++;
                List<String> rejected = r.suites().stream().filter(SuiteStatus::failed).map(SuiteStatus::suite).toList();
                err.println("demi: " + u.name() + ": " + (r.error() != null ? "the new snapshot was rejected"
                        : "rejected: " + String.join(", ", rejected)) + "; the previous snapshot stays published (reasons above, "
                        + "and in demi mirror status)");
            }
        }
        err.flush();
        return failed == 0 ? Demi.OK : Demi.FAILURE;
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Fetch, verify and publish the configured upstreams.", "All of them, or those named."})
    static final class Sync implements Callable<Integer> {
        @ParentCommand
        MirrorCommand mirror;

        @Parameters(paramLabel = "UPSTREAM", arity = "0..*", description = "Upstream names, as `demi mirror status` lists them.")
        List<String> names;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            MirrorSetup setup = mirror.setup();
            Map<String, Upstream> ups = mirror.upstreams(setup, names, err);
            int code = run(setup.syncer(), ups, setup::fetcher, out, err);
            var archives = ComplianceSetup.archives(setup.store()).values();
            setup.fetchDebianData(ups, pkg -> ReleaseArchive.newest(archives, pkg), out);
            return code;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Sync from a copy of the archive on disk.", "Like sync, but read the archive from a copy on disk (DIR holds dists/ and pool/), with the same checks."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        MirrorCommand mirror;

        @Parameters(index = "0", paramLabel = "DIR", description = "The archive copy's root.")
        Path dir;

        @Parameters(index = "1", paramLabel = "UPSTREAM", arity = "0..1",
                description = "Which configured upstream the copy is of (needed when there are several).")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dir.resolve("dists"))) {
                throw new BadInputException(dir + " is not an archive copy: it has no dists/ directory");
            }
            MirrorSetup setup = mirror.setup();
            Map<String, Upstream> ups = mirror.upstreams(setup, name == null ? List.of() : List.of(name), err);
            if (ups.size() > 1) {
                throw new BadInputException("several upstreams are configured (" + String.join(", ", ups.keySet())
                        + "): name the one " + dir + " is a copy of");
            }
            return run(setup.syncer(), ups, u -> new DirectoryFetcher(dir), out, err);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show each suite's last sync, signers and sizes.", "Per upstream and suite: last sync, Date, Valid-Until, signers, files and sizes, last error."})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        MirrorCommand mirror;

        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            MirrorSetup setup = mirror.setup();
            Map<String, Upstream> ups = mirror.upstreams(setup, List.of(), spec.commandLine().getErr());
            List<MirrorStatus> rows = MirrorStatus.of(setup.store(), ups);
            if (format.equals("json")) {
                out.println(org.demi.web.json.Json.MAPPER.writeValueAsString(rows));
            } else if (format.equals("text")) {
                for (MirrorStatus r : rows) {
                    out.println(r.upstream() + " " + r.suite() + "  (" + r.uri() + ", pool " + r.pool() + ", " + r.publish() + ")");
                    out.println("  last sync:   " + (r.lastAttempt() == null ? "never" : r.lastAttempt() + ", " + r.outcome()));
                    out.println("  published:   " + (r.snapshot() == null ? "nothing yet" : "snapshot " + r.snapshot() + ", " + r.tree()));
                    out.println("  Date:        " + orDash(r.date()));
                    out.println("  Valid-Until: " + orDash(r.validUntil()));
                    out.println("  signed by:   " + (r.signers().isEmpty() ? "-" : String.join(", ", r.signers())));
                    out.println("  indices:     " + r.indexFiles() + " files, " + r.indexBytes() + " bytes");
                    out.println("  pool:        " + r.poolFiles() + " files named, " + r.poolBytes() + " bytes");
                    if (r.error() != null) {
                        out.println("  last error:  " + r.error());
                    }
                }
            } else {
                throw new BadInputException("--format must be text or json, not '" + format + "'");
            }
            out.flush();
            return Demi.OK;
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = {"Print the server's repository signing key.", "Print the server's repository signing key (made at first use), for hosts' Signed-By."})
    static final class Key implements Callable<Integer> {
        @ParentCommand
        MirrorCommand mirror;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            var key = mirror.setup().serverKey();
            PrintWriter out = spec.commandLine().getOut();
            out.print(new String(key.publicArmored(), StandardCharsets.US_ASCII));
            out.flush();
            spec.commandLine().getErr().println("fingerprint " + key.fingerprint());
            return Demi.OK;
        }
    }
}
