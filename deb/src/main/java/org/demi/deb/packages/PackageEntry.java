package org.demi.deb.packages;

import org.demi.deb.DebFormatException;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.version.Version;

/**
 * A binary package entry of a {@code Packages} index: what apt needs to choose, fetch and
 * verify it.
 *
 * @param source      its source package, with the source version (see {@link SourceRef})
 * @param filename    path of the .deb below the archive root ({@code pool/main/a/apt/apt_2.6.1_amd64.deb})
 * @param sha256      lower-case hexadecimal, as the index lists it
 * @param description the synopsis: the first line of {@code Description}
 */
public record PackageEntry(
        String packageName,
        Version version,
        String architecture,
        SourceRef source,
        String filename,
        long size,
        String sha256,
        String section,
        String priority,
        String multiArch,
        String description) {

    /**
     * Reads a Packages stanza. Package, Version, Architecture, Filename, Size and SHA256
     * are required, since without them apt can neither choose nor verify the file.
     */
    public static PackageEntry of(Paragraph p) {
        String field = "Package";
        try {
            String name = PackageName.check(p.require("Package"));
            field = "Version";
            Version version = Version.parse(p.require("Version"));
            field = "Architecture";
            String architecture = PackageName.checkArchitecture(p.require("Architecture"));
            field = "Source";
            SourceRef source = SourceRef.resolve(p.get("Source"), name, version, false);
            field = "Filename";
            String filename = p.require("Filename");
            field = "Size";
            long size = parseSize(p.require("Size"));
            field = "SHA256";
            String sha256 = p.require("SHA256");
            if (!isSha256(sha256)) {
                throw new DebFormatException("'" + sha256 + "' is not a SHA256");
            }
            return new PackageEntry(name, version, architecture, source, filename, size, sha256,
                    p.getOrDefault("Section", ""), p.getOrDefault("Priority", ""), multiArch(p),
                    synopsis(p.get("Description")));
        } catch (ParagraphException e) {
            throw e;
        } catch (DebFormatException e) {
            throw p.error(field, field + ": " + e.getMessage());
        }
    }

    /** Whether {@code text} is 64 lower-case hexadecimal digits. */
    public static boolean isSha256(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    static long parseSize(String text) {
        try {
            long size = Long.parseLong(text);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DebFormatException("'" + text + "' is not a size in bytes");
    }

    /** {@code Multi-Arch}, which is {@code no} when absent (Debian Policy 5.6.28). */
    public static String multiArch(Paragraph p) {
        String value = p.get("Multi-Arch");
        return value == null || value.isEmpty() ? "no" : value;
    }

    /** The first line of a Description value. */
    public static String synopsis(String description) {
        if (description == null) {
            return "";
        }
        int nl = description.indexOf('\n');
        return nl < 0 ? description : description.substring(0, nl).strip();
    }
}
