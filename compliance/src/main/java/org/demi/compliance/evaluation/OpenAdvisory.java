package org.demi.compliance.evaluation;

import java.time.LocalDate;
import java.util.List;
import org.demi.compliance.advisory.FixKind;
import org.demi.deb.version.Version;

/**
 * An advisory a host is still open to: it has {@code source} installed at
 * {@code installedSourceVersion}, below {@code fixedVersion} (null when the release is marked
 * unfixed).
 *
 * @param binaries the host's installed binary packages built from that source
 */
public record OpenAdvisory(String id, LocalDate date, String source, FixKind kind, Version fixedVersion,
        Version installedSourceVersion, List<String> binaries, List<String> cves) {
    public OpenAdvisory {
        binaries = List.copyOf(binaries);
        cves = List.copyOf(cves);
    }
}
