package org.demi.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class DemiCommandTest {
    static final Path FIXTURES = Path.of(System.getProperty("demi.fixtures", "../../shared/fixtures"));

    record Result(int code, String out, String err) {
    }

    static Result demi(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Demi.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    static synchronized Result demiWithInput(String input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return demi(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void versionCompareExitsLikeDpkg() {
        assertThat(demi("version", "compare", "1.0~rc1", "lt", "1.0").code()).isZero();
        assertThat(demi("version", "compare", "1.0~rc1", ">>", "1.0").code()).isEqualTo(1);
        assertThat(demi("version", "compare", "1:0.1", "gt", "2.0").code()).isZero();
        assertThat(demi("version", "compare", "1.0", "eq", "1.0-0").code()).isZero();
        Result bad = demi("version", "compare", "1.0-", "lt", "2");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("version '1.0-' has bad syntax: revision number is empty");
        Result badOp = demi("version", "compare", "1", "<>", "2");
        assertThat(badOp.code()).isEqualTo(2);
        assertThat(badOp.err()).contains("unknown relation '<>'");
        assertThat(demi("version", "compare", "1").code()).isEqualTo(2);
    }

    /**
     * The cases where Demi used to answer otherwise than dpkg: an empty version or
     * {@code <unknown>}, the -nl relations, the obsolete {@code <} and {@code >}, versions dpkg
     * only warns about, signed epochs, and dpkg's own words where both refuse. Each is run
     * through the real dpkg and through Demi: the same exit code, and a warning from both or
     * from neither.
     */
    @Test
    void versionCompareAnswersExactlyAsDpkg() throws Exception {
        String[][] cases = {{"", "lt", "1"}, {"", "lt", "~"}, {"", "eq", ""}, {"<unknown>", "lt", "0"}, {"", "lt-nl", "1"},
                {"", "gt-nl", "1"}, {"1", "lt-nl", ""}, {"1", "le-nl", "1"}, {"1.0", "<", "1.0"}, {"2", "<", "1"}, {"1.0", ">", "1.0"},
                {"1.0_1", "lt", "1.0_2"}, {"abc", "lt", "1"}, {"+1:2.0-1", "eq", "1:2.0-1"}, {"-0:1.0", "eq", "1.0"},
                {"x:1.0", "eq", "1.0"}, {"1x:1.0", "eq", "1"}, {"-1:1.0", "lt", "1"}, {" 1.0", "eq", "1.0"}, {"1.0-", "lt", "2"},
                {"1:1.0", "eq", "01:1.0"}, {"~", "gt", ""}};
        for (String[] c : cases) {
            Process p = new ProcessBuilder("dpkg", "--compare-versions", "--", c[0], c[1], c[2]).start();
            String dpkgErr = new String(p.getErrorStream().readAllBytes());
            int dpkgCode = p.waitFor();
            Result r = demi("version", "compare", "--", c[0], c[1], c[2]);
            String what = "'" + c[0] + "' " + c[1] + " '" + c[2] + "': dpkg said " + dpkgErr + ", demi " + r.err();
            assertThat(r.code()).as(what).isEqualTo(dpkgCode);
            assertThat(r.err().contains("warning:")).as(what).isEqualTo(dpkgErr.contains("warning:"));
            if (dpkgCode == 2) {
                assertThat(r.err()).as(what).contains(dpkgErr.strip().replaceFirst("^dpkg: error: ", ""));
            }
        }
    }

    @Test
    void versionSortOrdersAndNamesTheBadLine() {
        Result sorted = demiWithInput("2.0\n1:0.1\n1.0~rc1\n1.0\n1.0-0\n", "version", "sort");
        assertThat(sorted.code()).isZero();
        assertThat(sorted.out()).isEqualTo("1.0~rc1\n1.0\n1.0-0\n2.0\n1:0.1\n");
        Result reversed = demiWithInput("1\n3\n2\n", "version", "sort", "--reverse");
        assertThat(reversed.out()).isEqualTo("3\n2\n1\n");
        Result bad = demiWithInput("1.0\n\n2.0\n", "version", "sort");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("line 2: version '' has bad syntax: version string is empty");
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void inspectStatusListsInstalledPackagesWithSources() throws Exception {
        Result r = demi("inspect", "--format", "json", FIXTURES.resolve("hosts/bookworm-minbase/status").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("kind").asText()).isEqualTo("status");
        assertThat(json.get("stanzas").asInt()).isEqualTo(176);
        assertThat(json.get("installed_count").asInt()).isEqualTo(176);
        JsonNode bash = null;
        for (JsonNode row : json.get("installed")) {
            if (row.get("package").asText().equals("bash")) {
                bash = row;
            }
        }
        assertThat(bash).isNotNull();
        assertThat(bash.get("version").asText()).isEqualTo("5.2.15-2+b13");
        assertThat(bash.get("source").asText()).isEqualTo("bash");
        assertThat(bash.get("source_version").asText()).isEqualTo("5.2.15-2");

        Result text = demi("inspect", FIXTURES.resolve("hosts/bookworm-minbase/status").toString());
        assertThat(text.out()).contains("kind:            status").containsPattern("(?m)^bash +5\\.2\\.15-2\\+b13 +amd64 +bash +5\\.2\\.15-2 ");
    }

    @Test
    void inspectReadsCompressedIndicesByContent(@TempDir Path tmp) throws Exception {
        // A Packages.xz renamed to look plain is still recognised as xz.
        Path disguised = tmp.resolve("Packages");
        Files.copy(FIXTURES.resolve("archive/bookworm-security/main/binary-amd64/Packages.xz"), disguised);
        Result r = demi("inspect", "--format", "json", disguised.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("compression").asText()).isEqualTo("xz");
        assertThat(json.get("kind").asText()).isEqualTo("packages");
        assertThat(json.get("stanzas").asInt()).isEqualTo(3016);

        Result release = demi("inspect", "--format", "json",
                FIXTURES.resolve("archive/bookworm-security/Release").toString());
        JsonNode rel = new ObjectMapper().readTree(release.out());
        assertThat(rel.get("codename").asText()).isEqualTo("bookworm-security");
        assertThat(rel.get("date").asText()).isEqualTo("Sat, 21 Nov 2026 00:53:02 UTC");
    }

    @Test
    void inspectRefusesBadInputWithExitTwo(@TempDir Path tmp) throws Exception {
        Result missing = demi("inspect", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope: no such file");

        Result signed = demi("inspect", FIXTURES.resolve("archive/bookworm/InRelease").toString());
        assertThat(signed.code()).isEqualTo(2);
        assertThat(signed.err()).contains("OpenPGP-signed InRelease");

        Path broken = tmp.resolve("status");
        Files.writeString(broken, "Package: foo\nStatus: install ok installed\nVersion: 1.0\n\nPackage: bar\nVersion 2\n");
        Result r = demi("inspect", broken.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(broken + ":6: expected a field ('Name: value'), found 'Version 2'");

        Path badVersion = tmp.resolve("status2");
        Files.writeString(badVersion, "Package: foo\nStatus: install ok installed\nVersion: 1.0-\n");
        Result v = demi("inspect", badVersion.toString());
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err()).contains(":3: Version: version '1.0-' has bad syntax: revision number is empty");
    }

    @Test
    void truncatedCompressedFileIsBadInputNamingFileAndProblem(@TempDir Path tmp) throws Exception {
        byte[] xz = Files.readAllBytes(FIXTURES.resolve("archive/bookworm-security/main/binary-amd64/Packages.xz"));
        Path truncated = tmp.resolve("Packages.xz");
        Files.write(truncated, java.util.Arrays.copyOf(xz, 300_000));
        Result r = demi("inspect", truncated.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(truncated + ": xz data ends early (truncated file)");
    }

    @Test
    void everyCommandHasHelp() {
        // Every command and subcommand picocli knows, found by walking the tree, so a new one is covered too.
        List<List<String>> commands = new ArrayList<>();
        walk(new CommandLine(new Demi()), new ArrayList<>(), commands);
        assertThat(commands.stream().map(c -> String.join(" ", c))).contains("serve", "mirror sync", "hosts trust", "users add",
                "index rebuild", "advisories sync", "search", "report", "collect", "inspect", "version sort");
        for (List<String> cmd : commands) {
            List<String> args = new ArrayList<>(cmd);
            args.add("--help");
            Result r = demi(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage: demi" + (cmd.isEmpty() ? "" : " " + String.join(" ", cmd)));
        }
        assertThat(demi().code()).isEqualTo(2);
        assertThat(demi("no-such-command").code()).isEqualTo(2);
        // Each command's summary is a whole sentence that fits its line of the list; every argument is described.
        for (List<String> cmd : commands) {
            if (cmd.equals(List.of("help"))) {
                continue; // picocli's own
            }
            CommandLine c = new CommandLine(new Demi());
            for (String name : cmd) {
                c = c.getSubcommands().get(name);
            }
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(String.join(" ", cmd)).isNotEmpty();
            assertThat(description[0]).as(String.join(" ", cmd)).endsWith(".").hasSizeLessThanOrEqualTo(64);
            for (CommandLine.Model.PositionalParamSpec p : c.getCommandSpec().positionalParameters()) {
                assertThat(p.description()).as(String.join(" ", cmd) + " " + p.paramLabel()).isNotEmpty();
            }
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                if (o.longestName().equals("--format")) {
                    assertThat(o.paramLabel()).as(String.join(" ", cmd)).isEqualTo("FORMAT");
                }
            }
        }
        // An unknown command suggests what is near; -V prints a version (the build's, from the jar).
        Result near = demi("hostz");
        assertThat(near.code()).isEqualTo(2);
        assertThat(near.err()).contains("Did you mean: demi hosts?");
        assertThat(demi("-V").out()).startsWith("demi ");
    }

    private static void walk(CommandLine c, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (java.util.Map.Entry<String, CommandLine> sub : c.getSubcommands().entrySet()) {
            if (!sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // an alias
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub.getKey());
            walk(sub.getValue(), deeper, out);
        }
    }

    @Test
    void globalDirectoriesComeFromOptionEnvironmentOrDefault(@TempDir Path checkout) throws Exception {
        GlobalOptions none = new GlobalOptions(Map.of(), null);
        assertThat(none.configDir()).isEqualTo(Path.of("/etc/demi"));
        assertThat(none.dataDir()).isEqualTo(Path.of("/var/lib/demi"));
        GlobalOptions inCheckout = new GlobalOptions(Map.of(), checkout.toString());
        assertThat(inCheckout.dataDir()).isEqualTo(checkout.resolve("demi-data"));
        // In a checkout, the configuration goes beside the data unless /etc/demi is there to be written.
        Path missing = checkout.resolve("no-etc-demi");
        assertThat(new GlobalOptions(Map.of(), checkout.toString(), missing).configDir()).isEqualTo(checkout.resolve("demi-config"));
        Path writable = checkout.resolve("etc-demi");
        java.nio.file.Files.createDirectories(writable);
        assertThat(new GlobalOptions(Map.of(), checkout.toString(), writable).configDir()).isEqualTo(writable);
        assertThat(new GlobalOptions(Map.of(), null, missing).configDir()).isEqualTo(missing);
        GlobalOptions env = new GlobalOptions(Map.of("DEMI_DATA", "/srv/demi", "DEMI_CONFIG", "/srv/etc"),
                checkout.toString());
        assertThat(env.dataDir()).isEqualTo(Path.of("/srv/demi"));
        assertThat(env.configDir()).isEqualTo(Path.of("/srv/etc"));
        env.data = Path.of("/opt/data");
        assertThat(env.dataDir()).isEqualTo(Path.of("/opt/data"));
    }
}
