package org.demi.web.access;

import java.util.Locale;
import org.demi.deb.BadInputException;

/** What a user may do: {@code viewer} reads every page; {@code admin} also manages users on the web. */
public enum Role {
    VIEWER, ADMIN;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String word) {
        for (Role r : values()) {
            if (r.word().equals(word)) {
                return r;
            }
        }
        throw new BadInputException("a role is viewer or admin, not '" + word + "'");
    }
}
