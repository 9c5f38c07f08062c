package org.demi.deb;

import org.demi.deb.paragraph.Paragraph;

/** The kinds of control file Demi reads, told apart by the fields of their first paragraph. */
public enum ControlFileKind {
    /** An archive's {@code Release} (or the signed text of an {@code InRelease}). */
    RELEASE("Release"),
    /** A binary package index. */
    PACKAGES("Packages"),
    /** A source package index. */
    SOURCES("Sources"),
    /** dpkg's database of installed packages. */
    STATUS("dpkg status");

    private final String title;

    ControlFileKind(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /**
     * Tells the kind from a file's first paragraph: a {@code Status} field means dpkg's
     * database; {@code Package} with {@code Binary} or {@code Directory} a Sources index;
     * {@code Package} alone a Packages index; {@code SHA256}/{@code MD5Sum} or the archive
     * fields ({@code Suite}, {@code Codename}, {@code Archive} with {@code Component}) a Release.
     */
    public static ControlFileKind detect(Paragraph first) {
        if (first.has("Package")) {
            if (first.has("Status")) {
                return STATUS;
            }
            if (first.has("Binary") || first.has("Directory")) {
                return SOURCES;
            }
            return PACKAGES;
        }
        if (first.has("SHA256") || first.has("MD5Sum") || first.has("Suite") || first.has("Codename")
                || (first.has("Archive") && first.has("Component"))) {
            return RELEASE;
        }
        throw new DebFormatException(first.source() + ":" + first.line()
                + ": not a Packages, Sources, Release or dpkg status file (no Package, Suite or Codename field)");
    }
}
