package org.demi.deb.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.demi.deb.DebFormatException;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;

/**
 * The fields of a {@code Release} file (the signed text of an {@code InRelease}, or a
 * component's {@code binary-ARCH/Release}), as apt reads them; see the Debian wiki's
 * "DebianRepository/Format".
 *
 * @param suite        {@code Suite}, or {@code Archive} in a component's Release
 * @param date         when the archive was generated; absent only in component Release files
 * @param validUntil   after which apt refuses the file
 * @param files        the SHA256 list: every index file with size and hash, in file order
 */
public record Release(
        String origin,
        String label,
        String suite,
        String codename,
        String version,
        Optional<Instant> date,
        Optional<Instant> validUntil,
        List<String> architectures,
        List<String> components,
        boolean acquireByHash,
        List<ReleaseFile> files) {

    public Release {
        architectures = List.copyOf(architectures);
        components = List.copyOf(components);
        files = List.copyOf(files);
    }

    /** Reads the typed fields of a Release paragraph; an error names the field's line. */
    public static Release of(Paragraph p) {
        List<ReleaseFile> files = new ArrayList<>();
        int idx = p.indexOf("SHA256");
        if (idx >= 0) {
            long line = p.line(idx);
            for (String entry : p.value(idx).split("\n")) {
                String t = entry.strip();
                if (!t.isEmpty()) {
                    try {
                        files.add(ReleaseFile.parseLine(t));
                    } catch (DebFormatException e) {
                        throw new ParagraphException(p.source(), line, "SHA256: " + e.getMessage());
                    }
                }
                line++;
            }
        }
        return new Release(
                p.getOrDefault("Origin", ""),
                p.getOrDefault("Label", ""),
                p.has("Suite") ? p.getOrDefault("Suite", "") : p.getOrDefault("Archive", ""),
                p.getOrDefault("Codename", ""),
                p.getOrDefault("Version", ""),
                date(p, "Date"),
                date(p, "Valid-Until"),
                words(p, "Architectures", "Architecture"),
                words(p, "Components", "Component"),
                "yes".equalsIgnoreCase(p.getOrDefault("Acquire-By-Hash", "")),
                files);
    }

    /** The entry for {@code path}, if the Release lists it. */
    public Optional<ReleaseFile> file(String path) {
        for (ReleaseFile f : files) {
            if (f.path().equals(path)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }


    private static List<String> words(Paragraph p, String name, String singular) {
        String v = p.get(name);
        if (v == null) {
            v = p.get(singular);
        }
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.asList(v.strip().split("\\s+"));
    }

    private static Optional<Instant> date(Paragraph p, String name) {
        String v = p.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReleaseDate.parse(v));
        } catch (DebFormatException e) {
            throw new ParagraphException(p.source(), p.lineOf(name), name + ": " + e.getMessage());
        }
    }
}
