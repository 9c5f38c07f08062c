package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.demi.deb.version.InvalidVersionException;
import org.demi.deb.version.Relation;
import org.demi.deb.version.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code demi version}: Debian version arithmetic, as dpkg does it. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Compare and sort Debian package versions exactly as dpkg does.",
        subcommands = {VersionCommand.Compare.class, VersionCommand.Sort.class})
final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "use 'demi version compare' or 'demi version sort'");
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Compare two versions as dpkg --compare-versions does.",
                "Exit 0 when A OP B holds, 1 when it does not, 2 when a version is invalid. OP: lt le eq ne ge gt",
                "(an empty version, or <unknown>, is earlier than any), lt-nl le-nl ge-nl gt-nl (an empty one is",
                "later), or << <= = >= >>; the obsolete < and > mean <= and >=, with a warning. A version dpkg",
                "only warns about is compared all the same, with dpkg's warning on standard error."})
    static final class Compare implements java.util.concurrent.Callable<Integer> {
        @Parameters(index = "0", paramLabel = "A", description = "A Debian version.")
        String a;
        @Parameters(index = "1", paramLabel = "OP", description = "lt le eq ne ge gt, lt-nl le-nl ge-nl gt-nl, or << <= = >= >>.")
        String op;
        @Parameters(index = "2", paramLabel = "B", description = "Another Debian version.")
        String b;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String name = op;
            boolean emptyIsLater = false;
            if (name.endsWith("-nl") && List.of("lt-nl", "le-nl", "ge-nl", "gt-nl").contains(name)) {
                emptyIsLater = true;
                name = name.substring(0, name.length() - 3);
            } else if (name.equals("<") || name.equals(">")) {
                err.println("demi: warning: --compare-versions used with obsolete relation operator '" + name + "'");
                name = name + "=";
            }
            Relation relation;
            try {
                relation = Relation.parse(name);
            } catch (org.demi.deb.BadInputException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            boolean aEmpty = blank(a);
            boolean bEmpty = blank(b);
            Version va = aEmpty ? null : read(a, err);
            Version vb = bEmpty ? null : read(b, err);
            err.flush();
            int cmp = aEmpty && bEmpty ? 0 : aEmpty ? (emptyIsLater ? 1 : -1) : bEmpty ? (emptyIsLater ? -1 : 1) : va.compareTo(vb);
            return relation.test(cmp) ? Demi.OK : Demi.FAILURE;
        }

        /** What dpkg takes for no version: an empty string, or {@code <unknown>}. */
        private static boolean blank(String v) {
            return v.isEmpty() || v.equals("<unknown>");
        }

        /** A version as dpkg reads it: what it only warns about is warned about and read all the same. */
        private static Version read(String v, PrintWriter err) {
            try {
                return Version.parse(v);
            } catch (InvalidVersionException e) {
                if (!e.dpkgWarnsOnly()) {
                    throw e;
                }
                err.println("demi: warning: " + e.getMessage());
                return Version.parseTolerant(v);
            }
        }
    }

    @Command(name = "sort", mixinStandardHelpOptions = true,
            description = {"Sort versions in dpkg's order.",
                "Reads versions from standard input, one per line, and prints them in dpkg's order,",
                    "earliest first (equal versions keep their input order). An invalid line is an error naming it."})
    static final class Sort implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Option(names = {"-r", "--reverse"}, description = "Latest first.")
        boolean reverse;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<Version> versions = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                try {
                    versions.add(Version.parse(line));
                } catch (InvalidVersionException e) {
                    throw new BadInputException("line " + lineNumber + ": " + e.getMessage());
                }
            }
            Comparator<Version> order = Comparator.naturalOrder();
            versions.sort(reverse ? order.reversed() : order);
            PrintWriter out = spec.commandLine().getOut();
            for (Version v : versions) {
                out.println(v);
            }
            out.flush();
            return Demi.OK;
        }
    }
}
