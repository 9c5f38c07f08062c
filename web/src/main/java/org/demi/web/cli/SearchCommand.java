package org.demi.web.cli;

import static org.demi.index.IndexField.*;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.demi.index.FleetIndex;
import org.demi.index.IndexField;
import org.demi.index.Row;
import org.demi.index.SearchQuery;
import org.demi.web.compliance.ComplianceSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi search QUERY}: the index, with the syntax of the web search box. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search hosts, installed packages and advisories.",
                "Words, all of which must hold:",
                "  field:value, field:prefix*    host group release support verdict package arch source state",
                "                                advisory cve fixed_in date oldest_advisory",
                "  version:<<V (<= = >= >>)      version source_version newest security_version, in dpkg order",
                "  field:>N (< >= <= N)          packages updates security_updates open_advisories",
                "  last_seen:2026-12 (< <= > >=) a moment or period in UTC (2026-12-01T08:30), or never",
                "  type:host|advisory            what to list (default: installed packages)",
                "  sort:field, sort:-field       order; other words search names and descriptions",
                "The same field twice means either value."})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "Words of the query, as above (quote those with < or >).")
    List<String> words = List.of();

    @Option(names = "--limit", defaultValue = "50", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", description = "Rows to skip (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new BadInputException("--format must be text or json, not '" + format + "'");
        }
        SearchQuery q = SearchQuery.parse(String.join(" ", words));
        ComplianceSetup setup = new ComplianceSetup(demi.global.configuration());
        FleetIndex.Result r;
        try (FleetIndex index = FleetIndex.openReadOnly(setup.indexDir())) {
            r = index.search(q, offset, limit);
        } catch (org.apache.lucene.index.IndexNotFoundException e) {
            throw new BadInputException("no index at " + setup.indexDir() + " yet (demi index rebuild, or demi serve, makes it)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("query", q.text());
            doc.put("total", r.total());
            doc.put("offset", offset);
            doc.put("rows", r.rows().stream().map(Row::values).toList());
            doc.put("facets", r.facets());
            out.println(org.demi.web.json.Json.MAPPER.writeValueAsString(doc));
            return 0;
        }
        List<IndexField> columns = switch (q.type()) {
            case "host" -> List.of(HOST, RELEASE, VERDICT, PACKAGES, UPDATES, SECURITY_UPDATES, OPEN_ADVISORIES, OLDEST_ADVISORY,
                    LAST_SEEN);
            case "advisory" -> List.of(ADVISORY, DATE, SOURCE, FIXED);
            default -> List.of(HOST, PACKAGE, ARCH, VERSION, NEWEST, SECURITY_VERSION, STATE, ADVISORY);
        };
        out.println(r.total() + " found" + (r.total() > r.rows().size() ? ", showing " + r.rows().size() + " from " + (offset + 1) : ""));
        out.println(String.join("\t", columns.stream().map(IndexField::word).toList()).toUpperCase(java.util.Locale.ROOT));
        for (Row row : r.rows()) {
            StringBuilder line = new StringBuilder();
            for (IndexField c : columns) {
                String text = String.join(",", row.all(c));
                line.append(line.length() == 0 ? "" : "\t").append(text.isEmpty() ? "-" : text.replaceAll("\\p{Cntrl}", "?"));
            }
            out.println(line);
        }
        return 0;
    }
}
