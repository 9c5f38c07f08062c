package org.demi.compliance.tracker;

import java.util.Locale;
import java.util.Optional;

/**
 * How urgent the security tracker rates a CVE for one release, in its own words. The order of
 * the constants is the order of concern: {@link #HIGH} first.
 */
public enum Urgency {
    HIGH("high"),
    MEDIUM("medium"),
    LOW("low"),
    /** Not rated yet: as much concern as a medium one until it is. */
    NOT_YET_ASSIGNED("not yet assigned"),
    UNIMPORTANT("unimportant"),
    /** The package's security support ended in that release: no fix will come. */
    END_OF_LIFE("end-of-life");

    private final String label;

    Urgency(String label) {
        this.label = label;
    }

    /** As the tracker writes it ({@code not yet assigned}). */
    public String label() {
        return label;
    }

    /** As a search or a JSON field writes it: the label with a hyphen for each space. */
    public String term() {
        return label.replace(' ', '-');
    }

    /** The urgency the tracker's label or its search term names, if any. */
    public static Optional<Urgency> of(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace('-', ' ');
        for (Urgency u : values()) {
            if (u.label.replace('-', ' ').equals(t)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
