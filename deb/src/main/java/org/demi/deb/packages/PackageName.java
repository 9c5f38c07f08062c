package org.demi.deb.packages;

import org.demi.deb.DebFormatException;

/**
 * Checks for the names Debian Policy allows (5.6.1 for packages, 5.6.8 for architectures).
 */
public final class PackageName {

    private PackageName() {
    }

    /**
     * A package name: at least two characters, lower-case letters, digits and {@code + - .},
     * starting with a letter or digit.
     */
    public static String check(String name) {
        if (!isValid(name)) {
            throw new DebFormatException("invalid package name '" + name + "'");
        }
        return name;
    }

    /** Whether {@code name} is a valid package name; a plain loop, as it runs for every index entry. */
    public static boolean isValid(String name) {
        int n = name.length();
        if (n < 2 || !isLowerAlnum(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = name.charAt(i);
            if (!isLowerAlnum(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** An architecture name such as {@code amd64}, {@code all} or {@code musl-linux-arm64}. */
    public static String checkArchitecture(String architecture) {
        boolean valid = !architecture.isEmpty() && isLowerAlnum(architecture.charAt(0));
        for (int i = 1; valid && i < architecture.length(); i++) {
            char c = architecture.charAt(i);
            valid = isLowerAlnum(c) || c == '-';
        }
        if (!valid) {
            throw new DebFormatException("invalid architecture '" + architecture + "'");
        }
        return architecture;
    }
}
