package org.demi.deb.packages;

import org.demi.deb.DebFormatException;
import org.demi.deb.version.Version;

/**
 * The source package a binary package was built from. In Packages and status files the
 * {@code Source} field is {@code name} or {@code name (version)}; it is omitted when the
 * source has the binary's name, and the version is omitted when it equals the binary's
 * (Debian Policy 5.6.1). This record always holds both, filled in from the binary.
 */
public record SourceRef(String name, Version version) {

    public SourceRef {
        PackageName.check(name);
    }

    /**
     * Resolves the {@code Source} field (or {@code null} when absent) of a binary package.
     *
     * @param tolerant parse the version as dpkg reads its database (see {@link Version#parseTolerant})
     */
    public static SourceRef resolve(String field, String binaryName, Version binaryVersion, boolean tolerant) {
        if (field == null || field.isBlank()) {
            return new SourceRef(binaryName, binaryVersion);
        }
        String f = field.strip();
        int paren = f.indexOf('(');
        if (paren < 0) {
            return new SourceRef(f, binaryVersion);
        }
        if (!f.endsWith(")")) {
            throw new DebFormatException("expected 'name (version)' in Source, found '" + f + "'");
        }
        String name = f.substring(0, paren).strip();
        String v = f.substring(paren + 1, f.length() - 1).strip();
        return new SourceRef(name, tolerant ? Version.parseTolerant(v) : Version.parse(v));
    }
}
