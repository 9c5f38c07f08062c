package org.demi.web.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every command shares. Each is taken from the command line, else from the
 * environment ({@code DEMI_CONFIG}, {@code DEMI_DATA}), else from the default: the
 * configuration in {@code /etc/demi}, the data in {@code /var/lib/demi}, or in
 * {@code ./demi-data} when Demi runs from a source checkout (the {@code ./demi} launcher
 * says so with the system property {@code demi.checkout}).
 */
public final class GlobalOptions {
    static final Path SYSTEM_CONFIG = Path.of("/etc/demi");
    static final Path SYSTEM_DATA = Path.of("/var/lib/demi");

    @Option(names = "--config", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Configuration directory (default: $DEMI_CONFIG, else /etc/demi).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default: $DEMI_DATA, else /var/lib/demi, or ./demi-data in a checkout).")
    Path data;

    @Option(names = "--local-root", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Root of the machine Demi runs on, whose files a local host's collection reads (default: /).")
    Path localRoot = Path.of("/");

    private final Map<String, String> environment;
    private final String checkout;

    public GlobalOptions() {
        this(System.getenv(), System.getProperty("demi.checkout"));
    }

    GlobalOptions(Map<String, String> environment, String checkout) {
        this.environment = environment;
        this.checkout = checkout;
    }

    public Path configDir() {
        if (config != null) {
            return config;
        }
        String env = environment.get("DEMI_CONFIG");
        return env != null && !env.isEmpty() ? Path.of(env) : SYSTEM_CONFIG;
    }

    /** Everything these options decide, as one value. */
    public org.demi.web.app.Configuration configuration() {
        return new org.demi.web.app.Configuration(configDir(), dataDir(), localRoot, Path.of("/etc/apt"), java.time.Clock.systemUTC());
    }

    public Path dataDir() {
        if (data != null) {
            return data;
        }
        String env = environment.get("DEMI_DATA");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        if (checkout != null && !checkout.isEmpty() && Files.isDirectory(Path.of(checkout))) {
            return Path.of(checkout).resolve("demi-data");
        }
        return SYSTEM_DATA;
    }
}
