package org.demi.compliance.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.demi.deb.version.Version;

/**
 * What the mirror offers one Debian release (for example {@code bookworm}): every binary
 * package of the release's suites ({@code bookworm}, {@code bookworm-updates},
 * {@code bookworm-security}), by package name.
 */
public final class ReleaseArchive {
    private final String release;
    private final Map<String, List<Available>> byName;

    private ReleaseArchive(String release, Map<String, List<Available>> byName) {
        this.release = release;
        this.byName = byName;
    }

    public String release() {
        return release;
    }

    public List<Available> versionsOf(String packageName) {
        return byName.getOrDefault(packageName, List.of());
    }

    /** Every binary package name the release's suites offer, sorted. */
    public List<String> packageNames() {
        return byName.keySet().stream().sorted().toList();
    }

    /** The newest version of {@code packageName} that any of {@code archives} offers. */
    public static java.util.Optional<Available> newest(java.util.Collection<ReleaseArchive> archives, String packageName) {
        return archives.stream().flatMap(a -> a.versionsOf(packageName).stream())
                .max(java.util.Comparator.comparing(Available::version));
    }

    public static Builder builder(String release) {
        return new Builder(release);
    }

    /**
     * The newest version and the newest security version that apt would consider for an
     * installed package. apt treats {@code Architecture: all} packages as the native
     * architecture's, so a native or {@code all} package may move between the two; a
     * foreign-architecture package only to its own architecture.
     */
    public Candidates candidates(String packageName, String architecture, String nativeArchitecture) {
        Available newest = null;
        Available newestSecurity = null;
        for (Available a : versionsOf(packageName)) {
            if (!matches(a.architecture(), architecture, nativeArchitecture)) {
                continue;
            }
            if (newest == null || a.version().compareTo(newest.version()) > 0) {
                newest = a;
            }
            if (a.security() && (newestSecurity == null || a.version().compareTo(newestSecurity.version()) > 0)) {
                newestSecurity = a;
            }
        }
        return new Candidates(newest, newestSecurity);
    }

    static boolean matches(String offered, String installed, String nativeArchitecture) {
        if (offered.equals(installed)) {
            return true;
        }
        boolean nativeSide = installed.equals("all") || installed.equals(nativeArchitecture);
        return nativeSide && (offered.equals("all") || offered.equals(nativeArchitecture));
    }

    /** The offered package {@code version} of {@code packageName} that an installed {@code architecture} may move to. */
    public java.util.Optional<Available> offered(String packageName, String architecture, Version version, String nativeArchitecture) {
        return versionsOf(packageName).stream()
                .filter(a -> a.version().equals(version) && matches(a.architecture(), architecture, nativeArchitecture))
                .findFirst();
    }

    /** The newest offered version and the newest from a security suite; either may be null. */
    public record Candidates(Available newest, Available newestSecurity) {
    }

    public static final class Builder {
        private final String release;
        private final Map<String, List<Available>> byName = new HashMap<>();

        private Builder(String release) {
            this.release = release;
        }

        public Builder add(Available a) {
            byName.computeIfAbsent(a.packageName(), k -> new ArrayList<>(2)).add(a);
            return this;
        }

        /**
         * Adds every stanza of a (plain) Packages index of {@code suite}.
         *
         * @throws org.demi.deb.paragraph.ParagraphException on a stanza that is not a valid
         *     Packages entry, naming its line
         */
        public Builder addPackages(java.io.InputStream packages, String name, String suite, boolean security)
                throws java.io.IOException {
            return addPackages(packages, name, suite, security, "");
        }

        /** As above, recording that the files can be fetched from upstream {@code origin}. */
        public Builder addPackages(java.io.InputStream packages, String name, String suite, boolean security, String origin)
                throws java.io.IOException {
            try (org.demi.deb.paragraph.ParagraphReader r = new org.demi.deb.paragraph.ParagraphReader(packages, name)) {
                for (org.demi.deb.paragraph.Paragraph p; (p = r.next()) != null; ) {
                    org.demi.deb.packages.PackageEntry e = org.demi.deb.packages.PackageEntry.of(p);
                    add(new Available(e.packageName(), e.architecture(), e.version(), e.source(), suite, security, origin,
                            e.filename()));
                }
            }
            return this;
        }

        public ReleaseArchive build() {
            Map<String, List<Available>> copy = new HashMap<>(byName.size() * 2);
            byName.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new ReleaseArchive(release, copy);
        }
    }
}
