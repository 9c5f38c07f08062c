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
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.compliance.ComplianceSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi advisories}: the security tracker's data. */
@Command(name = "advisories", mixinStandardHelpOptions = true,
        description = {"The security tracker's data: import, sync.",
                "Its data/DSA/list and data/DLA/list (the advisories) and its JSON (every CVE per source package and release)."},
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

    static AdvisoryFeeds feeds(ComplianceSetup setup) {
        return new AdvisoryFeeds(setup.advisoriesDir(), setup.clock());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Reads the tracker's data from disk and makes it the server's.",
                    "Each FILE is a DSA list, a DLA list or the tracker's JSON (plain, gzip, xz or bzip2), told apart by",
                    "its content; it replaces the previous one of its kind whole, and only when it parses (the JSON also",
                    "only when it is not older or implausibly smaller than the one held)."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        AdvisoriesCommand parent;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "A copy of the tracker's data/DSA/list, data/DLA/list or /tracker/data/json.")
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
                out.println(feeds(setup).install(f, f.toString(), err));
            }
            return 0;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Fetches the tracker's lists and CVE data.",
                "Fetches the DSA and DLA lists and the tracker's JSON over HTTP(S), with the mirror's timeouts and",
                    "proxy, and installs each that parses; one that fails keeps the previous one. 'none' skips one."})
    static final class Sync implements Callable<Integer> {
        @ParentCommand
        AdvisoriesCommand parent;

        @picocli.CommandLine.Option(names = "--dsa-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.DSA_URL,
                description = "Where the DSA list is (default: the security tracker's).")
        String dsaUrl;

        @picocli.CommandLine.Option(names = "--dla-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.DLA_URL,
                description = "Where the DLA list is (default: the security tracker's).")
        String dlaUrl;

        @picocli.CommandLine.Option(names = "--json-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.JSON_URL,
                description = "Where the tracker's JSON is (default: the security tracker's).")
        String jsonUrl;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = new ComplianceSetup(parent.demi.global.configuration());
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            int failed = feeds(setup).sync(new AdvisoryFeeds.Sources(dsaUrl, dlaUrl, jsonUrl), out, err)[1];
            return failed == 0 ? 0 : 1;
        }
    }
}
