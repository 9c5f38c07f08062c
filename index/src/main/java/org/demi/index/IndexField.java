package org.demi.index;

import java.util.Locale;
import java.util.Optional;

/**
 * Every field of the index's documents, with its name (in the search syntax, in result rows,
 * in the JSON API) and its kind. Programs name fields with these constants; only people type
 * the names.
 */
public enum IndexField {
    TYPE(Kind.KEYWORD),
    HOST(Kind.KEYWORD),
    GROUP(Kind.MULTI),
    RELEASE(Kind.KEYWORD),
    SUPPORT(Kind.KEYWORD),
    VERDICT(Kind.KEYWORD),
    PACKAGE(Kind.KEYWORD),
    ARCH(Kind.KEYWORD),
    SOURCE(Kind.KEYWORD),
    STATE(Kind.KEYWORD),
    ADVISORY(Kind.MULTI),
    CVE(Kind.MULTI),
    VERSION(Kind.VERSION),
    SOURCE_VERSION(Kind.VERSION),
    NEWEST(Kind.VERSION),
    SECURITY_VERSION(Kind.VERSION),
    PACKAGES(Kind.NUMBER),
    UPDATES(Kind.NUMBER),
    SECURITY_UPDATES(Kind.NUMBER),
    OPEN_ADVISORIES(Kind.NUMBER),
    /**
     * How much an installed package needs attention, to list those first: 3 an advisory is open
     * on it, 2 a security update or a fix not in the mirror, 1 an update, 0 none.
     */
    ATTENTION(Kind.NUMBER),
    OLDEST_ADVISORY(Kind.KEYWORD),
    /** On a host: how many distinct CVEs it is open to (or may be: undetermined). */
    OPEN_CVES(Kind.NUMBER),
    /** On a host: how many of them have a fix in the mirror. */
    FIXABLE_CVES(Kind.NUMBER),
    /** On an installed package: a limit debian-security-support puts on its source's support: ended, ending, limited. */
    SUPPORT_LIMIT(Kind.KEYWORD),
    /** That limit in words: when, at which version, why. */
    SUPPORT_NOTE(Kind.STORED),
    /** On a host: how many installed packages have ended or limited security support. */
    UNSUPPORTED(Kind.NUMBER),
    /** On a host: how many delivered updates it has not installed yet. */
    WAITING(Kind.NUMBER),
    /** On a host: since when the oldest of them was delivered (ISO 8601), or empty. */
    WAITING_SINCE(Kind.KEYWORD),
    /** On a host: the command that installs them there. */
    INSTALL_COMMAND(Kind.STORED),
    /** On a host: how many CVEs its history shows it closed. */
    REMEDIATED(Kind.NUMBER),
    /** On a host: the hours those took in all, from exposure (or the CVE's first sighting) to the collection that showed it closed. */
    REMEDIATION_HOURS(Kind.NUMBER),
    /** On a host: the kernel release it runs ({@code uname -r}), or empty when it does not say. */
    KERNEL(Kind.KEYWORD),
    /** On a host: how that kernel was built, as {@code uname -v} says ({@code #1 SMP PREEMPT_DYNAMIC Debian 6.1.170-3 (...)}). */
    KERNEL_BUILD(Kind.STORED),
    /** On a host: when it booted (ISO 8601), or empty when it does not say. */
    BOOTED(Kind.KEYWORD),
    /** On a host: the Debian version of the kernel it runs, when it runs one of its Debian images. */
    KERNEL_VERSION(Kind.VERSION),
    /** On a host: yes when it must reboot to run what it has installed (its kernel is behind, it says so, needrestart does), else no. */
    REBOOT_REQUIRED(Kind.KEYWORD),
    /** Why, in words. */
    REBOOT_REASON(Kind.STORED_MULTI),
    /** On a host: how many services needrestart names as running outdated code. */
    RESTART_SERVICES(Kind.NUMBER),
    /** Those services. */
    SERVICES(Kind.STORED_MULTI),
    /** A CVE's state on a host: fix-available, fixed-pending-reboot, fix-not-in-mirror, no-fix, undetermined. */
    CVE_STATE(Kind.KEYWORD),
    /** The tracker's urgency of a CVE in the host's release: high, medium, low, not-yet-assigned, unimportant, end-of-life. */
    URGENCY(Kind.KEYWORD),
    /** remote or local, when the tracker says. */
    SCOPE(Kind.KEYWORD),
    /** Since when a host has been open to a CVE (ISO 8601, to the second). */
    SINCE(Kind.KEYWORD),
    /** The version that fixes a CVE in the host's release. */
    FIXED_VERSION(Kind.VERSION),
    /** The host's binaries a CVE is open through. */
    BINARIES(Kind.STORED_MULTI),
    /** What the tracker adds: the urgency came from NVD, a no-DSA reason and comment. */
    REMARK(Kind.STORED),
    /**
     * On a host: when an inventory of it was last stored or confirmed unchanged; kept current in
     * place ({@link FleetIndex#seen}), since a host confirmed unchanged is not written again.
     */
    LAST_SEEN(Kind.TIME),
    DATE(Kind.KEYWORD),
    FIXED_IN(Kind.MULTI),
    /** The inventory a host's documents were made from. */
    CHECKSUM(Kind.STORED),
    /**
     * A SHA-256 of every field of a host's documents as written, so that a host judged again into
     * the very same documents is not written again ({@link FleetIndex#replaceHost(IndexedHost, java.util.Optional)}).
     */
    DIGEST(Kind.STORED),
    /** Why no fresh inventory judges a host: its last attempt's failure, or that it was never collected. */
    REASON(Kind.STORED),
    DESCRIPTION(Kind.STORED),
    /** An advisory's fixes, one per release: {@code bookworm openssl 3.0.11-1~deb12u2}. */
    FIXED(Kind.STORED_MULTI);

    /** What a field holds and how it can be searched. */
    public enum Kind {
        /** One exact value; {@code field:value} or {@code field:prefix*}; sortable. */
        KEYWORD,
        /** Several exact values; filter and facet only. */
        MULTI,
        /** A Debian version: {@code << <= = >= >>} in dpkg's order; sorted in dpkg's order. */
        VERSION,
        /** A whole number: {@code >N <N >=N <=N N}; sortable. */
        NUMBER,
        /**
         * A moment, to the millisecond, shown in ISO 8601 (empty: never): {@code field:2026-12} that
         * month (a year, day, hour, minute or second alike), {@code <} {@code <=} {@code >} {@code >=}
         * before or after one, {@code never}; sorted in time. Held as a number in doc values alone,
         * which Lucene and Solr change in place without writing the document again.
         */
        TIME,
        /** Shown with the document, not searched. */
        STORED,
        /** Several values shown with the document, not searched. */
        STORED_MULTI
    }

    private final Kind kind;
    private final String word;

    IndexField(Kind kind) {
        this.kind = kind;
        this.word = name().toLowerCase(Locale.ROOT);
    }

    /** The field's name: {@code security_updates}. */
    public String word() {
        return word;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a document may hold several values of it. */
    public boolean multiValued() {
        return kind == Kind.MULTI || kind == Kind.STORED_MULTI;
    }

    /** Whether the search syntax can filter on it. */
    public boolean searchable() {
        return kind != Kind.STORED && kind != Kind.STORED_MULTI;
    }

    /** The field of this name, if there is one. */
    public static Optional<IndexField> of(String word) {
        return Optional.ofNullable(BY_WORD.get(word));
    }

    /** The {@link Kind#TIME} fields: a host document's, read from doc values. */
    public static final java.util.List<IndexField> TIMES = java.util.Arrays.stream(values()).filter(f -> f.kind == Kind.TIME).toList();

    /** The fields a document may hold several values of ({@link #multiValued}). */
    public static final java.util.List<IndexField> SEVERAL_VALUED = java.util.Arrays.stream(values()).filter(IndexField::multiValued).toList();

    /** Asked for every stored field of every row read: a lookup, not a walk over a copy of {@link #values()}. */
    private static final java.util.Map<String, IndexField> BY_WORD = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(IndexField::word, f -> f));

    @Override
    public String toString() {
        return word;
    }
}
