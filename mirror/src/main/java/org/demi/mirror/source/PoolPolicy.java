package org.demi.mirror.source;

import java.util.Locale;
import org.demi.deb.BadInputException;

/** Which pool files (.deb, source files) a mirror holds. */
public enum PoolPolicy {
    /** Every file the verified indices name, fetched at each sync. */
    ALL,
    /** Fetched, verified and stored when a client first asks for it; served from disk after. */
    ON_DEMAND,
    /** Indices only; pool requests are answered 404. */
    NONE,
    /**
     * As on-demand, and after each evaluation of the fleet, the files managed hosts need to
     * reach their candidate versions are fetched ahead, so the fixes are on the server before
     * anyone asks.
     */
    FLEET;

    public static PoolPolicy parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "all" -> ALL;
            case "on-demand" -> ON_DEMAND;
            case "none" -> NONE;
            case "fleet" -> FLEET;
            default -> throw new BadInputException("pool policy '" + s + "' is not one of all, on-demand, fleet, none");
        };
    }

    /** Whether pool files are fetched when first asked for (on-demand and fleet). */
    public boolean fetchesOnRequest() {
        return this == ON_DEMAND || this == FLEET;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
