package org.demi.deb.sources;

import java.util.ArrayList;
import java.util.List;
import org.demi.deb.DebFormatException;
import org.demi.deb.packages.PackageName;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.release.ReleaseFile;
import org.demi.deb.version.Version;

/**
 * A source package entry of a {@code Sources} index.
 *
 * @param binaries  the binary packages it builds ({@code Binary}, comma-separated)
 * @param directory where its files lie below the archive root
 * @param files     {@code Checksums-Sha256}: each file's name, size and SHA256
 */
public record SourceEntry(
        String packageName,
        Version version,
        List<String> binaries,
        String directory,
        String format,
        String section,
        List<ReleaseFile> files) {

    public SourceEntry {
        binaries = List.copyOf(binaries);
        files = List.copyOf(files);
    }

    public static SourceEntry of(Paragraph p) {
        String field = "Package";
        try {
            String name = PackageName.check(p.require("Package"));
            field = "Version";
            Version version = Version.parse(p.require("Version"));
            field = "Binary";
            List<String> binaries = new ArrayList<>();
            String binary = p.get("Binary");
            if (binary != null) {
                for (String b : binary.split(",")) {
                    String t = b.strip();
                    if (!t.isEmpty()) {
                        binaries.add(PackageName.check(t));
                    }
                }
            }
            field = "Directory";
            String directory = p.require("Directory");
            field = "Checksums-Sha256";
            List<ReleaseFile> files = new ArrayList<>();
            for (String line : p.lines("Checksums-Sha256")) {
                files.add(ReleaseFile.parseLine(line));
            }
            return new SourceEntry(name, version, binaries, directory, p.getOrDefault("Format", ""),
                    p.getOrDefault("Section", ""), files);
        } catch (ParagraphException e) {
            throw e;
        } catch (DebFormatException e) {
            throw p.error(field, field + ": " + e.getMessage());
        }
    }
}
