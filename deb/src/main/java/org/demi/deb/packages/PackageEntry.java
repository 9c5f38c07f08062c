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
    private static final Paragraph.Names FIELDS = Paragraph.Names.of("Package", "Version", "Architecture", "Source",
            "Filename", "Size", "SHA256", "Section", "Priority", "Multi-Arch", "Description");

    public static PackageEntry of(Paragraph p) {
        int[] at = p.find(FIELDS);
        String field = "Package";
        try {
            String name = PackageName.check(p.required(at[0], "Package"));
            field = "Version";
            Version version = Version.parse(p.required(at[1], "Version"));
            field = "Architecture";
            String architecture = PackageName.checkArchitecture(p.required(at[2], "Architecture"));
            field = "Source";
            SourceRef source = SourceRef.resolve(p.valueOr(at[3], null), name, version, false);
            field = "Filename";
            String filename = p.required(at[4], "Filename");
            field = "Size";
            long size = parseSize(p.required(at[5], "Size"));
            field = "SHA256";
            String sha256 = p.required(at[6], "SHA256");
            if (!isSha256(sha256)) {
                throw new DebFormatException("'" + sha256 + "' is not a SHA256");
            }
            String multiArch = p.valueOr(at[9], "");
            return new PackageEntry(name, version, architecture, source, filename, size, sha256,
                    p.valueOr(at[7], ""), p.valueOr(at[8], ""), multiArch.isEmpty() ? "no" : multiArch,
                    at[10] < 0 ? "" : p.firstLine(at[10]));
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
        int bad = 0;
        for (int i = 0; i < 64; i++) {
            char c = text.charAt(i);
            bad |= c < 128 ? NOT_HEX[c] : 1;
        }
        return bad == 0;
    }

    /** 0 for the lower-case hexadecimal digits, 1 for every other ASCII character. */
    private static final byte[] NOT_HEX = new byte[128];

    static {
        java.util.Arrays.fill(NOT_HEX, (byte) 1);
        for (char c = '0'; c <= '9'; c++) {
            NOT_HEX[c] = 0;
        }
        for (char c = 'a'; c <= 'f'; c++) {
            NOT_HEX[c] = 0;
        }
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

    /** The first line of a paragraph's Description, read without building the long description. */
    public static String synopsis(Paragraph p) {
        String first = p.firstLine("Description");
        return first == null ? "" : first;
    }
}
