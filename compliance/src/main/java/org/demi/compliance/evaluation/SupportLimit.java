package org.demi.compliance.evaluation;

import java.time.LocalDate;
import java.util.Optional;

/**
 * A limit Debian's security team put on one source package's support in one release, as the
 * debian-security-support package lists it (and its {@code check-support-status} reports it).
 *
 * @param kind    ended, ending (on a date still to come), or limited
 * @param version for an end, the last version with support, as listed
 * @param date    for an end, when it ended or will end
 * @param details the list's text: why, or where to read more
 */
public record SupportLimit(Kind kind, String version, Optional<LocalDate> date, String details) {
    public enum Kind {
        /** Security support ended: no more fixes, whatever comes. */
        ENDED("ended"),
        /** Security support will end on the date, before the release's own end. */
        ENDING("ending"),
        /** Supported only in some uses (trusted input, behind authentication): read the details. */
        LIMITED("limited");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** In words for the pages and reports. */
    public String describe() {
        return switch (kind) {
            case ENDED -> "security support ended on " + date.map(Object::toString).orElse("?") + " at version " + version;
            case ENDING -> "security support ends on " + date.map(Object::toString).orElse("?") + " at version " + version;
            case LIMITED -> "security support limited";
        } + (details.isEmpty() ? "" : ": " + details);
    }
}
