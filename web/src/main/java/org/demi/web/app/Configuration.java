package org.demi.web.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything that decides where Demi reads and writes, in one value made once by the command
 * line (or a test) and passed to whatever needs it; nothing reads a system property or the
 * environment behind it.
 *
 * @param configDir {@code /etc/demi}: the hosts file, the sources
 * @param dataDir   {@code /var/lib/demi}: the mirror, the inventories, the index, the keys
 * @param localRoot the root of the machine Demi runs on, whose files a {@code local} host's
 *                  collection reads ({@code /}; another directory for a chroot, or a test)
 * @param aptDir    this machine's apt configuration ({@code /etc/apt}), whose sources are the
 *                  upstreams when the configuration names none
 * @param clock     the time every check that depends on it reads
 */
public record Configuration(Path configDir, Path dataDir, Path localRoot, Path aptDir, Clock clock) {
    public Configuration {
        Objects.requireNonNull(configDir);
        Objects.requireNonNull(dataDir);
        Objects.requireNonNull(localRoot);
        Objects.requireNonNull(aptDir);
        Objects.requireNonNull(clock);
    }

    /** These directories, and this machine's own root, apt and clock. */
    public static Configuration of(Path configDir, Path dataDir) {
        return new Configuration(configDir, dataDir, Path.of("/"), Path.of("/etc/apt"), Clock.systemUTC());
    }

    public Configuration withClock(Clock c) {
        return new Configuration(configDir, dataDir, localRoot, aptDir, c);
    }

    /** This machine's name, as the kernel has it (no name lookup: the machine may not resolve its own). */
    public static String machineName() throws java.io.IOException {
        return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    }
}
