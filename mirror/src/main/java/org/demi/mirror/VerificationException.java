package org.demi.mirror;

/**
 * Something fetched failed a check: the message names the file and the check
 * ({@code dists/bookworm-security/main/binary-amd64/Packages.xz: SHA256 ... differs from ...}).
 */
public class VerificationException extends org.demi.deb.BadInputException {
    private final String file;
    private final String check;

    public VerificationException(String file, String check, String detail) {
        super(file + ": " + check + " failed: " + detail);
        this.file = file;
        this.check = check;
    }

    public VerificationException(String file, String check, String detail, Throwable cause) {
        super(file + ": " + check + " failed: " + detail, cause);
        this.file = file;
        this.check = check;
    }

    public String file() {
        return file;
    }

    public String check() {
        return check;
    }
}
