package org.demi.deb.version;

import org.demi.deb.DebFormatException;

/**
 * A version string that dpkg would not accept. The message is dpkg's reason, so that an
 * administrator sees the same words as from {@code dpkg --compare-versions}.
 */
public final class InvalidVersionException extends DebFormatException {
    private static final long serialVersionUID = 1L;

    private final String version;
    private final String reason;
    private final boolean dpkgWarnsOnly;

    InvalidVersionException(String version, String reason, boolean dpkgWarnsOnly) {
        super("version '" + version + "' has bad syntax: " + reason);
        this.version = version;
        this.reason = reason;
        this.dpkgWarnsOnly = dpkgWarnsOnly;
    }

    /** dpkg's words for the defect, without the version: {@code version number does not start with digit}. */
    public String reason() {
        return reason;
    }

    /** The offending text, as given. */
    public String version() {
        return version;
    }

    /**
     * True when dpkg itself only warns about this defect (an upstream part that does not
     * start with a digit, or an invalid character) and still orders the version.
     */
    public boolean dpkgWarnsOnly() {
        return dpkgWarnsOnly;
    }
}
