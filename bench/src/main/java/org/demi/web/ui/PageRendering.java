package org.demi.web.ui;

import gg.jte.output.Utf8ByteOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.demi.web.access.Role;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering a package's page (its hosts list: 100 rows of the packages table's 12 columns, with
 * facets) into the bytes sent: into {@link PageBytes}, and, as the reference, into jte's own
 * {@code Utf8ByteOutput} joined into one array as the server did before. Each call renders one of
 * 256 pages drawn at random, their values of the shapes a fleet has (host names, versions, states,
 * advisories, descriptions, some of them not ASCII).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main PageRendering</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class PageRendering {
    private static final List<Column> COLUMNS = List.of(new Column("host", "Host", true), new Column("package", "Package", true),
            new Column("arch", "Arch", true), new Column("version", "Installed", true), new Column("newest", "Newest", true),
            new Column("security_version", "Newest security", true), new Column("state", "State", true),
            new Column("advisory", "Open advisories", false), new Column("source", "Source", true),
            new Column("support_limit", "Security support", true), new Column("support_note", "Support note", false),
            new Column("description", "Description", false));
    private static final String[] STATES = {"current", "current", "current", "update", "security-update"};
    private static final String[] WORDS = {"library", "TLS", "tools", "daemon", "GNU", "shared", "files", "for", "the",
            "compression", "Übersetzungen", "données", "runtime", "Perl", "Python", "module", "headers"};

    private final List<Map<String, Object>> models = new ArrayList<>();
    private final Random random = new Random(7);

    @Setup(Level.Trial)
    public void pages() {
        Random r = new Random(2026);
        View view = new View("admin", Role.ADMIN, "c".repeat(43), List.of());
        for (int p = 0; p < 256; p++) {
            String pkg = "lib" + word(r).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "") + r.nextInt(10);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                String state = STATES[r.nextInt(STATES.length)];
                String version = (1 + r.nextInt(5)) + "." + r.nextInt(20) + "." + r.nextInt(30) + "-" + (1 + r.nextInt(4)) + "+deb12u"
                        + r.nextInt(3);
                row.put("host", "host-" + (10_000 + r.nextInt(90_000)) + ".zone" + r.nextInt(8) + ".example");
                row.put("package", pkg);
                row.put("arch", r.nextInt(10) == 0 ? "all" : "amd64");
                row.put("version", version);
                row.put("newest", state.equals("current") ? version : version + "1");
                row.put("security_version", state.equals("security-update") ? version + "1" : "");
                row.put("state", state);
                row.put("advisory", state.equals("security-update") ? List.of("DSA-" + (5000 + r.nextInt(900)) + "-1") : List.of());
                row.put("source", pkg.replaceAll("[0-9]", ""));
                row.put("support_limit", r.nextInt(20) == 0 ? "limited" : "");
                row.put("support_note", List.of());
                StringBuilder d = new StringBuilder();
                for (int w = 4 + r.nextInt(8); w > 0; w--) {
                    d.append(word(r)).append(' ');
                }
                row.put("description", List.of(d.toString().trim()));
                row.put("last_seen", "2026-12-0" + (1 + r.nextInt(7)) + "T0" + r.nextInt(10) + ":00:00Z");
                rows.add(row);
            }
            Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
            facets.put("state", Map.of("current", 6_100L, "update", 2_400L, "security-update", 1_500L));
            facets.put("release", Map.of("bookworm", 7_000L, "trixie", 2_000L, "bullseye", 1_000L));
            Map<String, Long> hosts = new LinkedHashMap<>();
            for (int h = 0; h < 10; h++) {
                hosts.put("host-" + (10_000 + r.nextInt(90_000)) + ".zone" + r.nextInt(8) + ".example", 1L);
            }
            facets.put("host", hosts);
            Table t = new Table("hosts", "Hosts with " + pkg, "/packages/" + pkg, COLUMNS, rows, 10_000, 0, 100, "", "", facets);
            Page page = new Page("Package " + pkg, "/packages/" + pkg, List.of(new Fact("Installations", 10_000L)), List.of(t));
            models.add(Map.of("view", view, "page", page));
        }
    }

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    /** The server's way now: one array, sent as it is. */
    @Benchmark
    public ByteBuffer pageBytes() {
        return Answer.render("page.jte", models.get(random.nextInt(models.size()))).buffer();
    }

    /** The reference: jte's UTF-8 output, a piece per write, joined into one array. */
    @Benchmark
    public byte[] jteUtf8ByteOutput() {
        Utf8ByteOutput out = new Utf8ByteOutput();
        Answer.TEMPLATES.render("page.jte", models.get(random.nextInt(models.size())), out);
        return out.toByteArray();
    }
}
