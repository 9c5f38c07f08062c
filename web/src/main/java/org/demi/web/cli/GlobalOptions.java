package org.demi.web.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every command shares. Each is taken from the command line, else from the
 * environment ({@code DEMI_CONFIG}, {@code DEMI_DATA}), else from the default: the
 * configuration in {@code /etc/demi}, the data in {@code /var/lib/demi}, or in
 * {@code ./demi-data} (and {@code ./demi-config}, when {@code /etc/demi} is not writable)
 * when Demi runs from a source checkout (the {@code ./demi} launcher says so with the system
 * property {@code demi.checkout}).
 */
public final class GlobalOptions {
    static final Path SYSTEM_CONFIG = Path.of("/etc/demi");
    static final Path SYSTEM_DATA = Path.of("/var/lib/demi");

    @Option(names = "--config", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Configuration directory (default: $DEMI_CONFIG, else /etc/demi, or ./demi-config in a checkout "
                    + "when /etc/demi is not writable).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default: $DEMI_DATA, else /var/lib/demi, or ./demi-data in a checkout).")
    Path data;

    @Option(names = "--local-root", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Root of the machine Demi runs on, whose files a local host's collection reads (default: /).")
    Path localRoot = Path.of("/");

    private final Map<String, String> environment;
    private final String checkout;
    private final Path systemConfig;

    public GlobalOptions() {
        this(System.getenv(), System.getProperty("demi.checkout"));
    }

    GlobalOptions(Map<String, String> environment, String checkout) {
        this(environment, checkout, SYSTEM_CONFIG);
    }

    /** @param systemConfig where the system's configuration is ({@code /etc/demi}; another in tests) */
    GlobalOptions(Map<String, String> environment, String checkout, Path systemConfig) {
        this.environment = environment;
        this.checkout = checkout;
        this.systemConfig = systemConfig;
    }

    public Path configDir() {
        if (config != null) {
            return config;
        }
        String env = environment.get("DEMI_CONFIG");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        // From a checkout, a user who may not write /etc/demi (or a machine without it) keeps the
        // configuration beside the data, so that demi hosts add works without root.
        if (inCheckout() && !Files.isWritable(systemConfig)) {
            return Path.of(checkout).resolve("demi-config");
        }
        return systemConfig;
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
        if (inCheckout()) {
            return Path.of(checkout).resolve("demi-data");
        }
        return SYSTEM_DATA;
    }

    private boolean inCheckout() {
        return checkout != null && !checkout.isEmpty() && Files.isDirectory(Path.of(checkout));
    }
}
