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

/** {@code demi advisories}: the security tracker's advisory lists. */
@Command(name = "advisories", mixinStandardHelpOptions = true,
        description = {"The security tracker's DSA and DLA lists: import, sync.", "Its data/DSA/list and data/DLA/list."},
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
            description = {"Reads advisory lists from disk and makes them the server's.",
                    "Each FILE is a DSA or a DLA list, told apart by its advisories; it replaces the previous list of",
                    "its kind whole, and only when it parses."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        AdvisoriesCommand parent;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "A copy of the tracker's data/DSA/list or data/DLA/list.")
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
                out.println(feeds(setup).install(Files.readAllBytes(f), f.toString(), null, err));
            }
            return 0;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Fetch the advisory lists from the tracker.",
                "Fetches the advisory lists over HTTP(S), with the mirror's timeouts and proxy, and installs each",
                    "that parses; a list that fails keeps the previous one. 'none' skips a list."})
    static final class Sync implements Callable<Integer> {
        @ParentCommand
        AdvisoriesCommand parent;

        @picocli.CommandLine.Option(names = "--dsa-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.DSA_URL,
                description = "Where the DSA list is (default: the security tracker's).")
        String dsaUrl;

        @picocli.CommandLine.Option(names = "--dla-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.DLA_URL,
                description = "Where the DLA list is (default: the security tracker's).")
        String dlaUrl;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = new ComplianceSetup(parent.demi.global.configuration());
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            int failed = feeds(setup).sync(new AdvisoryFeeds.Sources(dsaUrl, dlaUrl), out, err)[1];
            return failed == 0 ? 0 : 1;
        }
    }
}
