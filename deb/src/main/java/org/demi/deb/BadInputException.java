package org.demi.deb;

/**
 * Input Demi cannot use, from whoever gave it: a person (a command's argument, a search, a
 * form), an administrator's configuration file, a host's inventory, a feed. Its message says
 * what was wrong, for that person to fix; it is answered with exit code 2 or HTTP 400 and is
 * not a fault of Demi's. Every other exception is a bug, logged with its stack.
 *
 * <p>Every module reports bad input with this type or a subclass ({@link DebFormatException}
 * for Debian's formats), never with {@link IllegalArgumentException}, which stays what Java
 * means by it: a caller broke a method's contract.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
