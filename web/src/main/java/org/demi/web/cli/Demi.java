package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.io.IOException;
import org.demi.deb.compression.CorruptDataException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code demi} program. Exit codes: 0 success, 1 failure, 2 bad usage or bad input
 * (as dpkg: {@code demi version compare} exits 1 when the relation is false).
 */
@Command(name = "demi", mixinStandardHelpOptions = true, versionProvider = Demi.VersionProvider.class,
        description = {"Debian Enterprise Management Interface.", "A verified mirror of Debian's security archive, and the "
                + "compliance of every host against it."},
        subcommands = {VersionCommand.class, InspectCommand.class, MirrorCommand.class, HostsCommand.class,
                CollectCommand.class, DeliverCommand.class, AdvisoriesCommand.class, ReportCommand.class, IndexCommand.class, SearchCommand.class, ServeCommand.class, UsersCommand.class,
                AuditCommand.class, SbomCommand.class,
                CommandLine.HelpCommand.class})
public final class Demi implements Runnable {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
    private static final System.Logger LOG = System.getLogger(Demi.class.getName());

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        LogFormat.install();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the program with the given output streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Demi demi = new Demi();
        CommandLine cli = new CommandLine(demi);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int code = exitCodeOf(e);
            if (code == FAILURE && !(e instanceof IOException)) {
                // Not the input and not the system: a bug, to be investigated with its stack.
                LOG.log(System.Logger.Level.ERROR, "demi " + String.join(" ", args) + ": " + describe(e), e);
            }
            commandLine.getErr().println("demi: " + describe(e));
            commandLine.getErr().flush();
            return code;
        });
        int code = cli.execute(args);
        audit(demi, cli.getParseResult(), code, args, err);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The commands that change something or reveal a secret: each run of one goes in the audit
     * log (positional arguments as its subject; passwords and tokens travel on standard input
     * and output, never in the arguments recorded).
     */
    static final java.util.Set<String> AUDITED = java.util.Set.of("users add", "users remove", "users token", "hosts add",
            "hosts remove", "hosts trust", "hosts token", "deliver", "collect", "advisories import", "advisories sync",
            "mirror import", "mirror sync", "index rebuild");

    /**
     * Records an audited command's run (a command line that did not parse ran nothing). Who: the
     * user the launcher was run by, as it says in DEMI_INVOKED_BY when it became the demi user.
     */
    private static void audit(Demi demi, CommandLine.ParseResult parsed, int code, String[] args, PrintWriter err) {
        if (parsed == null) {
            return;
        }
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        String action = last.commandSpec().qualifiedName(" ").replaceFirst("^demi ", "");
        if (!AUDITED.contains(action) || last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
            return;
        }
        String subject = String.join(" ", last.matchedPositionals().stream().flatMap(p -> p.originalStringValues().stream()).toList());
        String self = System.getProperty("user.name");
        String invoker = System.getenv("DEMI_INVOKED_BY");
        boolean switched = invoker != null && !invoker.isEmpty() && !invoker.equals(self);
        try {
            new org.demi.web.access.AuditLog(demi.global.dataDir(), java.time.Clock.systemUTC()).record(switched ? invoker : self,
                    "command line" + (switched ? " (as " + self + ")" : ""), action, subject, code == OK ? "ok" : "failed (exit " + code + ")",
                    "demi " + String.join(" ", args));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the audit log could not be written: " + describe(e), e);
            err.println("demi: the audit log could not be written: " + describe(e));
        }
    }

    static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * 2 for input Demi cannot use ({@link BadInputException}, which covers Debian formats, and
     * a file named that does not exist or is corrupt), 1 for everything else: a failure of the
     * system (an {@link IOException}) or a bug.
     */
    static int exitCodeOf(Exception e) {
        if (e instanceof BadInputException || e instanceof NoSuchFileException || e instanceof CorruptDataException) {
            return BAD_INPUT;
        }
        return FAILURE;
    }

    /** The version of this build, from the jar's manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Demi.class.getPackage().getImplementationVersion();
            return new String[]{"demi " + (v == null ? "(development build)" : v)};
        }
    }
}
