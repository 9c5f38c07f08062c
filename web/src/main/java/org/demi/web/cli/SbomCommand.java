package org.demi.web.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.deb.BadInputException;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.web.mirror.MirrorSetup;
import org.demi.web.sbom.SbomFormat;
import org.demi.web.sbom.Sboms;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi sbom HOST [--format cyclonedx|spdx]} or {@code --all --output FILE.tar}: bills of materials with their vulnerabilities. */
@Command(name = "sbom", mixinStandardHelpOptions = true,
        description = {"Print a host's SBOM with its vulnerabilities (VEX).", "Print a host's software bill of materials as "
                + "CycloneDX 1.5 JSON: every installed package with its package URL and source, and every CVE the security "
                + "tracker lists for it with Demi's analysis (resolved, not affected, in triage, exploitable and how to respond), "
                + "judged against the mirror and the advisory lists; or as SPDX 2.3 JSON. With --all, every collected host's, "
                + "one file each in a tar."})
final class SbomCommand implements Callable<Integer> {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HOST", arity = "0..1", description = "A declared host (demi hosts list).")
    String host;

    @Option(names = "--all", description = "Every collected host's, as HOST.cdx.json in a tar (needs --output).")
    boolean all;

    @Option(names = "--format", defaultValue = "cyclonedx", paramLabel = "FORMAT", description = "cyclonedx (CycloneDX 1.5 JSON, "
            + "with VEX) or spdx (SPDX 2.3 JSON, the open CVEs as security references); default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write it there instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        SbomFormat chosen = SbomFormat.of(format);
        if (all == (host != null)) {
            throw new BadInputException("name one HOST, or --all");
        }
        if (all && output == null) {
            throw new BadInputException("--all writes a tar: give --output FILE.tar");
        }
        Clock clock = Clock.systemUTC();
        ComplianceSetup setup = new ComplianceSetup(demi.global.configuration().withClock(clock));
        Evaluator evaluator = setup.evaluator(new MirrorSetup(demi.global.configuration().withClock(clock)).store());
        Instant now = clock.instant();
        if (all) {
            Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
            int n;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                n = Sboms.tar(setup.fleet(), evaluator, now, chosen, out);
            }
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().println("demi: " + n + " host(s) in " + output);
            spec.commandLine().getErr().flush();
            return Demi.OK;
        }
        Optional<String> json = Sboms.of(setup.fleet(), evaluator, host, now, chosen);
        if (json.isEmpty()) {
            throw new BadInputException(setup.fleet().host(host).isEmpty() ? "no host '" + host + "' is declared (demi hosts list)"
                    : host + " has never been collected: there is nothing to list");
        }
        if (output != null) {
            Files.writeString(output, json.get(), StandardCharsets.UTF_8);
        } else {
            spec.commandLine().getOut().println(json.get());
            spec.commandLine().getOut().flush();
        }
        return Demi.OK;
    }
}
