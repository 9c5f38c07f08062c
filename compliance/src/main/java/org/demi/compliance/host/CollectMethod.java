package org.demi.compliance.host;

import org.demi.deb.BadInputException;

/** How the server gets a host's inventory. */
public enum CollectMethod {
    /** The server logs in with its SSH key and runs the forced {@code demi-inventory}. */
    SSH("ssh"),
    /** The host POSTs its inventory to {@code demi serve} with its token. */
    PUSH("push"),
    /** The machine Demi runs on: its files are read directly. */
    LOCAL("local");

    private final String word;

    CollectMethod(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static CollectMethod parse(String w) {
        for (CollectMethod m : values()) {
            if (m.word.equals(w.trim().toLowerCase(java.util.Locale.ROOT))) {
                return m;
            }
        }
        throw new BadInputException("Collect must be ssh, push or local, not '" + w + "'");
    }
}
