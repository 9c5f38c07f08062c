package org.demi.deb.packages;

import java.util.regex.Pattern;
import org.demi.deb.DebFormatException;

/**
 * Checks for the names Debian Policy allows (5.6.1 for packages, 5.6.8 for architectures).
 */
public final class PackageName {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private PackageName() {
    }

    /**
     * A package name: at least two characters, lower-case letters, digits and {@code + - .},
     * starting with a letter or digit.
     */
    public static String check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new DebFormatException("invalid package name '" + name + "'");
        }
        return name;
    }

    /** An architecture name such as {@code amd64}, {@code all} or {@code musl-linux-arm64}. */
    public static String checkArchitecture(String architecture) {
        if (!ARCHITECTURE.matcher(architecture).matches()) {
            throw new DebFormatException("invalid architecture '" + architecture + "'");
        }
        return architecture;
    }
}
