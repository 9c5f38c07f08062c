package org.demi.mirror.pgp;

/** A signature, signed file or keyring that must not be trusted; the message says why. */
public class SignatureException extends RuntimeException {
    public SignatureException(String message) {
        super(message);
    }

    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
