package org.demi.web.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.demi.deb.BadInputException;
import org.demi.web.access.AuditEvent;
import org.demi.web.access.AuditLog;
import org.demi.web.ui.Csv;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi audit [FILTER...]}: the audit log, newest first, as the admin's /audit page shows it. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Print the audit log, newest first.", "Print the audit log, newest first: log-ins, users and tokens, hosts, "
                + "deliveries, imports and syncs started by hand, each with who, when, from where, what and how it ended."})
public final class AuditCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "Words that must all match: FIELD:VALUE (fields: time, actor, "
            + "from, action, subject, outcome, detail; time:2026-12 for a month) or a word found in any field.")
    List<String> filter = List.of();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (tab-separated, a header first), csv, or json (one object per entry); default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries, the newest (default: all).")
    Integer limit;

    @Override
    public Integer call() throws IOException {
        if (!List.of("text", "csv", "json").contains(format)) {
            throw new BadInputException("--format is text, csv or json, not '" + format + "'");
        }
        if (limit != null && limit < 1) {
            throw new BadInputException("--limit must be at least 1, not " + limit);
        }
        List<AuditEvent> found = new AuditLog(demi.global.dataDir(), java.time.Clock.systemUTC()).find(String.join(" ", filter));
        if (limit != null && found.size() > limit) {
            found = found.subList(0, limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "csv" -> {
                out.print(Csv.line(AuditEvent.FIELDS));
                found.forEach(e -> out.print(Csv.line(List.copyOf(e.fields().values()))));
            }
            case "json" -> {
                for (AuditEvent e : found) {
                    out.println(JSON.writeValueAsString(e.fields()));
                }
            }
            default -> {
                out.println(String.join("\t", AuditEvent.FIELDS));
                // A tab or newline in a field (a detail that quotes input) would break the columns.
                found.forEach(e -> out.println(String.join("\t", e.fields().values().stream().map(v -> v.replaceAll("[\\t\\r\\n]", " ")).toList())));
            }
        }
        out.flush();
        return Demi.OK;
    }
}
