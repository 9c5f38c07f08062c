package org.demi.web.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the log goes. Every module logs through the JDK's own facade, {@link System.Logger};
 * the program routes it to standard error (the journal, under systemd, which adds the time
 * and the unit), one line a message, {@code demi: LEVEL: message}, and the stack of the
 * exception that caused it, if any, below.
 */
final class LogFormat extends Formatter {
    private LogFormat() {
    }

    /** Replaces the JDK's default handler (two lines a message, with a time) by this format. */
    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new LogFormat());
        console.setLevel(Level.INFO);
        root.addHandler(console);
        root.setLevel(Level.INFO);
        // Jetty's start-up lines (versions, contexts, connectors) drown what an administrator must
        // read, such as the first-run password; its warnings and errors still come through.
        JETTY.setLevel(Level.WARNING);
    }

    /** Held, so that the level set on it is not lost when the logger is collected. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder("demi: ").append(level(r.getLevel())).append(": ").append(formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
            StringWriter stack = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(stack));
            b.append(stack);
        }
        return b.toString();
    }

    private static String level(Level l) {
        return l.intValue() >= Level.SEVERE.intValue() ? "error"
                : l.intValue() >= Level.WARNING.intValue() ? "warning"
                : l.intValue() >= Level.INFO.intValue() ? "info" : "debug";
    }
}
