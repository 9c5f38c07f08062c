package org.demi.web.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.inventory.AtomicFile;
import org.demi.web.compliance.ComplianceSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi advisories}: the security tracker's advisory lists. */
@Command(name = "advisories", mixinStandardHelpOptions = true,
        description = "The Debian security tracker's advisory lists (data/DSA/list, data/DLA/list).",
        subcommands = {AdvisoriesCommand.Import.class})
final class AdvisoriesCommand implements Runnable {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an advisories command is required (import)");
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
            ComplianceSetup setup = new ComplianceSetup(parent.demi.global.configDir(), parent.demi.global.dataDir(), Clock.systemUTC());
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new BadInputException(f + ": no such file");
                }
                byte[] bytes = Files.readAllBytes(f);
                AdvisoryList list;
                try {
                    list = AdvisoryList.parse(bytes, f.toString());
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(e.getMessage());
                }
                List<Advisory> advisories = list.advisories();
                if (advisories.isEmpty()) {
                    throw new BadInputException(f + ": no advisory in it" + (list.problems().isEmpty() ? ""
                            : " (first problem: " + list.problems().get(0) + ")"));
                }
                long dsa = advisories.stream().filter(a -> a.id().startsWith("DSA-")).count();
                long dla = advisories.stream().filter(a -> a.id().startsWith("DLA-")).count();
                if (dsa > 0 && dla > 0 || dsa + dla == 0) {
                    throw new BadInputException(f + ": not a DSA list nor a DLA list (" + dsa + " DSAs, " + dla + " DLAs)");
                }
                String name = dsa > 0 ? "DSA-list" : "DLA-list";
                AtomicFile.write(setup.advisoriesDir().resolve(name), bytes);
                list.problems().stream().limit(10).forEach(p -> err.println("demi: warning: " + p));
                out.println(name + ": " + advisories.size() + " advisories imported from " + f
                        + (list.problems().isEmpty() ? "" : ", " + list.problems().size() + " line(s) skipped"));
            }
            return 0;
        }
    }
}
