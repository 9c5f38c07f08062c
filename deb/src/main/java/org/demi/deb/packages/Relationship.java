package org.demi.deb.packages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.demi.deb.DebFormatException;
import org.demi.deb.version.Relation;
import org.demi.deb.version.Version;

/**
 * One package relationship of a binary package's {@code Depends}, {@code Pre-Depends} or
 * {@code Provides} field (Debian Policy 7.1): a package name, with an optional architecture
 * qualifier ({@code :any}, {@code :native}) and an optional version restriction. A field is a
 * comma-separated list of groups; in {@code Depends} a group is alternatives separated by
 * {@code |}, any one of which satisfies it.
 *
 * @param qualifier the architecture qualifier after {@code :}, or empty
 * @param relation  the version restriction's relation, with {@code version}; empty when there is none
 */
public record Relationship(String packageName, String qualifier, Optional<Relation> relation, Optional<Version> version) {
    public Relationship {
        PackageName.check(packageName);
        if (relation.isPresent() != version.isPresent()) {
            throw new IllegalArgumentException("a version restriction needs both its relation and its version");
        }
    }

    /** Whether {@code candidate} of this name meets the version restriction (always, with none). */
    public boolean allows(Version candidate) {
        return relation.isEmpty() || relation.get().holds(candidate, version.get());
    }

    /**
     * A relationship field as groups of alternatives: {@code "libc6 (>= 2.34), debconf | debconf-2.0"}
     * gives {@code [[libc6 >= 2.34], [debconf, debconf-2.0]]}. An empty field gives no group.
     *
     * @throws DebFormatException naming the part that is not a relationship
     */
    public static List<List<Relationship>> parseField(String field) {
        List<List<Relationship>> groups = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return groups;
        }
        for (String group : field.split(",")) {
            List<Relationship> alternatives = new ArrayList<>();
            for (String alternative : group.split("\\|")) {
                alternatives.add(parse(alternative));
            }
            groups.add(List.copyOf(alternatives));
        }
        return List.copyOf(groups);
    }

    /** One relationship: {@code name[:qualifier] [(RELATION VERSION)]}. */
    public static Relationship parse(String text) {
        String t = text.strip();
        String restriction = null;
        int open = t.indexOf('(');
        if (open >= 0) {
            int close = t.indexOf(')', open);
            if (close < 0 || !t.substring(close + 1).isBlank()) {
                throw new DebFormatException("'" + text.strip() + "' is not a package relationship (its version restriction is not closed)");
            }
            restriction = t.substring(open + 1, close).strip();
            t = t.substring(0, open).strip();
        }
        String qualifier = "";
        int colon = t.indexOf(':');
        if (colon >= 0) {
            qualifier = PackageName.checkArchitecture(t.substring(colon + 1));
            t = t.substring(0, colon);
        }
        if (!PackageName.isValid(t)) {
            throw new DebFormatException("'" + text.strip() + "' is not a package relationship ('" + t + "' is not a package name)");
        }
        if (restriction == null) {
            return new Relationship(t, qualifier, Optional.empty(), Optional.empty());
        }
        int v = 0;
        while (v < restriction.length() && "<>=!".indexOf(restriction.charAt(v)) >= 0) {
            v++;
        }
        if (v == 0) {
            throw new DebFormatException("'" + text.strip() + "' is not a package relationship (no relation before the version)");
        }
        try {
            return new Relationship(t, qualifier, Optional.of(Relation.parse(restriction.substring(0, v))),
                    Optional.of(Version.parse(restriction.substring(v).strip())));
        } catch (org.demi.deb.BadInputException e) {
            throw new DebFormatException("'" + text.strip() + "' is not a package relationship: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return packageName + (qualifier.isEmpty() ? "" : ":" + qualifier)
                + relation.map(r -> " (" + r.symbol() + " " + version.get() + ")").orElse("");
    }
}
