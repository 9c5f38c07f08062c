package org.demi.web.cli;

/** Input given to a command that it cannot use; exits with code 2. */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
