package org.demi.web.access;

import java.util.Objects;
import java.util.regex.Pattern;
import org.demi.deb.BadInputException;

/** One account of the web interface: its name, role and password hash (never the password). */
public record User(String name, Role role, String passwordHash) {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    public User {
        checkName(name);
        Objects.requireNonNull(role);
        if (passwordHash == null || !passwordHash.startsWith("$argon2id$") || passwordHash.contains(" ")) {
            throw new BadInputException("user " + name + ": not an Argon2id password hash");
        }
    }

    /** At least 12 characters: the web is the one place Demi's data can be read from afar. */
    public static String checkPassword(String password) {
        if (password == null || password.length() < 12) {
            throw new BadInputException("a password needs at least 12 characters");
        }
        return password;
    }

    /** User names as adduser takes them: lower case, a letter or _ first, at most 32 characters. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadInputException("'" + name + "' is not a usable user name (lower-case letters, digits, _ . -; "
                    + "a letter or _ first; at most 32)");
        }
        return name;
    }
}
