package org.demi.deb;

/**
 * Input that does not follow a Debian format. Every parser of this module reports bad
 * input with this exception (or a subclass), never with anything else, so callers can
 * tell "the file is wrong" from "the program is wrong".
 */
public class DebFormatException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public DebFormatException(String message) {
        super(message);
    }

    public DebFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
