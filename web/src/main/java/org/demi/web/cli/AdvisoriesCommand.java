package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.deb.io.Durable;
import org.demi.web.compliance.ComplianceSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi advisories}: the security tracker's advisory lists. */
@Command(name = "advisories", mixinStandardHelpOptions = true,
        description = "The Debian security tracker's advisory lists (data/DSA/list, data/DLA/list).",
        subcommands = {AdvisoriesCommand.Import.class, AdvisoriesCommand.Sync.class})
final class AdvisoriesCommand implements Runnable {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an advisories command is required (import, sync)");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Reads advisory lists from disk and makes them the server's.",
                    "Each FILE is a DSA or a DLA list, told apart by its advisories; it replaces the previous list of",
                    "its kind whole, and only when it parses."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        AdvisoriesCommand parent;

        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = new ComplianceSetup(parent.demi.global.configuration());
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new BadInputException(f + ": no such file");
                }
                install(setup, Files.readAllBytes(f), f.toString(), null, out, err);
            }
            return 0;
        }
    }

    /**
     * Checks a list and makes it the server's list of its kind; nothing changes unless it
     * parses into advisories of one kind ({@code expected} when given).
     */
    static void install(ComplianceSetup setup, byte[] bytes, String from, String expected, PrintWriter out, PrintWriter err)
            throws IOException {
        AdvisoryList list = AdvisoryList.parse(bytes, from);
        List<Advisory> advisories = list.advisories();
        if (advisories.isEmpty()) {
            throw new BadInputException(from + ": no advisory in it" + (list.problems().isEmpty() ? ""
                    : " (first problem: " + list.problems().get(0) + ")"));
        }
        long dsa = advisories.stream().filter(a -> a.id().startsWith("DSA-")).count();
        long dla = advisories.stream().filter(a -> a.id().startsWith("DLA-")).count();
        if (dsa > 0 && dla > 0 || dsa + dla == 0) {
            throw new BadInputException(from + ": not a DSA list nor a DLA list (" + dsa + " DSAs, " + dla + " DLAs)");
        }
        String name = dsa > 0 ? "DSA-list" : "DLA-list";
        if (expected != null && !expected.equals(name)) {
            throw new BadInputException(from + ": a " + name + " where a " + expected + " was expected");
        }
        Durable.write(setup.advisoriesDir().resolve(name), bytes);
        list.problems().stream().limit(10).forEach(p -> err.println("demi: warning: " + p));
        out.println(name + ": " + advisories.size() + " advisories from " + from
                + (list.problems().isEmpty() ? "" : ", " + list.problems().size() + " line(s) skipped"));
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Fetches the advisory lists over HTTP(S), with the mirror's timeouts and proxy, and installs each",
                    "that parses; a list that fails keeps the previous one. 'none' skips a list."})
    static final class Sync implements Callable<Integer> {
        /** The security tracker's lists, as its own repository publishes them. */
        static final String DSA_LIST = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list";
        static final String DLA_LIST = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list";

        @ParentCommand
        AdvisoriesCommand parent;

        @picocli.CommandLine.Option(names = "--dsa-url", paramLabel = "URL", defaultValue = DSA_LIST,
                description = "Where the DSA list is (default: the security tracker's).")
        String dsaUrl;

        @picocli.CommandLine.Option(names = "--dla-url", paramLabel = "URL", defaultValue = DLA_LIST,
                description = "Where the DLA list is (default: the security tracker's).")
        String dlaUrl;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = new ComplianceSetup(parent.demi.global.configuration());
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            int failed = 0;
            for (String[] list : new String[][] {{"DSA-list", dsaUrl}, {"DLA-list", dlaUrl}}) {
                if (list[1].equals("none")) {
                    continue;
                }
                try {
                    java.net.URI uri = java.net.URI.create(list[1]);
                    String path = uri.getPath();
                    String name = path.substring(path.lastIndexOf('/') + 1);
                    org.demi.mirror.fetch.Fetcher fetcher = org.demi.mirror.fetch.Fetcher.of(uri.resolve("."),
                            org.demi.web.mirror.MirrorSetup.CONNECT_TIMEOUT, org.demi.web.mirror.MirrorSetup.STALL_TIMEOUT,
                            org.demi.mirror.fetch.ProxySettings.discover(System.getenv()));
                    byte[] bytes;
                    try (java.io.InputStream in = fetcher.open(name)) {
                        bytes = in.readNBytes(AdvisoryList.MAX_BYTES + 1);
                    }
                    install(setup, bytes, list[1], list[0], out, err);
                } catch (IOException | IllegalArgumentException | BadInputException e) {
                    err.println("demi: " + list[0] + " from " + list[1] + " failed, the previous list stays: " + Demi.describe(e));
                    failed++;
                }
            }
            out.flush();
            err.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
