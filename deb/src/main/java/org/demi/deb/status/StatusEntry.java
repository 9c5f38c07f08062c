package org.demi.deb.status;

import org.demi.deb.DebFormatException;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.packages.PackageName;
import org.demi.deb.packages.SourceRef;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.version.Version;

/**
 * A package entry of dpkg's status file ({@code /var/lib/dpkg/status}).
 *
 * <p>Versions are read as dpkg reads its own database ({@link Version#parseTolerant}): a
 * defect dpkg only warns about must not make a whole host unreadable. A package that is
 * not installed may have no version; {@code version} is then {@code null}.
 *
 * @param source      the source package and source version (see {@link SourceRef})
 * @param description the synopsis: the first line of {@code Description}
 */
public record StatusEntry(
        String packageName,
        String architecture,
        PackageStatus status,
        Version version,
        SourceRef source,
        String section,
        String priority,
        String multiArch,
        boolean essential,
        String description) {

    public static StatusEntry of(Paragraph p) {
        String field = "Package";
        try {
            String name = PackageName.check(p.require("Package"));
            field = "Status";
            PackageStatus status = PackageStatus.parse(p.require("Status"));
            field = "Version";
            String v = p.get("Version");
            Version version = v == null || v.isEmpty() ? null : Version.parseTolerant(v);
            if (version == null && status.isInstalled()) {
                throw new DebFormatException("an installed package must have a version");
            }
            field = "Architecture";
            String arch = p.get("Architecture");
            String architecture = arch == null || arch.isEmpty() ? "" : PackageName.checkArchitecture(arch);
            field = "Source";
            SourceRef source = version == null ? null : SourceRef.resolve(p.get("Source"), name, version, true);
            return new StatusEntry(name, architecture, status, version, source, p.getOrDefault("Section", ""),
                    p.getOrDefault("Priority", ""), PackageEntry.multiArch(p), "yes".equals(p.get("Essential")),
                    PackageEntry.synopsis(p));
        } catch (ParagraphException e) {
            throw e;
        } catch (DebFormatException e) {
            throw p.error(field, field + ": " + e.getMessage());
        }
    }

    public boolean isInstalled() {
        return status.isInstalled();
    }
}
