package org.demi.mirror.source;

import java.util.Locale;
import org.demi.deb.BadInputException;

/** How a mirrored suite is offered to hosts. */
public enum PublishMode {
    /** Upstream's signed InRelease and indices exactly as received: hosts keep trusting upstream's key. */
    VERBATIM,
    /** Indices re-listed in a Release that the server signs with its own key, which hosts pin. */
    CURATED;

    public static PublishMode parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "verbatim" -> VERBATIM;
            case "curated" -> CURATED;
            default -> throw new BadInputException("publish mode '" + s + "' is not verbatim or curated");
        };
    }
}
