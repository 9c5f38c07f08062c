package org.demi.web.notify;

import java.util.List;
import java.util.Optional;
import org.demi.compliance.tracker.Urgency;

/**
 * One state someone may need to hear of, as it stands now: a CVE or an advisory open on some
 * hosts, a host unreachable or stale, a mirror sync that failed, a stale advisory list, a
 * Release about to expire, delivered fixes left uninstalled. Its {@code key} names the state:
 * while the same key is current it is never announced again; once gone, it may be again.
 *
 * @param hosts     the hosts concerned (the first few, for a CVE on thousands)
 * @param hostCount how many hosts in all
 */
public record Event(Kind kind, String key, String subject, Optional<Urgency> urgency, List<String> hosts, long hostCount,
        String detail) {
    public Event {
        hosts = List.copyOf(hosts);
    }

    /** What happened, as the notify file's Events field names it. */
    public enum Kind {
        CVE("cve", false),
        ADVISORY("advisory", false),
        UNREACHABLE("unreachable", true),
        STALE("stale", true),
        SYNC_FAILED("sync-failed", false),
        FEED_STALE("feed-stale", false),
        VALID_UNTIL("valid-until", false),
        NOT_INSTALLED("not-installed", true);

        private final String word;
        private final boolean perHost;

        Kind(String word, boolean perHost) {
            this.word = word;
            this.perHost = perHost;
        }

        public String word() {
            return word;
        }

        /** One state per host: the new ones of a round go out as one message, not one per host. */
        public boolean perHost() {
            return perHost;
        }

        public static Kind of(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            throw new org.demi.deb.BadInputException("not an event: '" + word + "' (" + String.join(", ",
                    java.util.Arrays.stream(values()).map(Kind::word).toList()) + ")");
        }
    }
}
