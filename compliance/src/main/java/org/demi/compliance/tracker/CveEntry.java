package org.demi.compliance.tracker;

import java.util.Map;
import java.util.Optional;

/**
 * One CVE (or {@code TEMP-} entry) of one source package, as the tracker's JSON lists it.
 *
 * @param scope     {@code remote}, {@code local}, or empty when not given
 * @param debianBug the Debian bug number, 0 when none
 * @param releases  by codename
 */
public record CveEntry(String id, String source, String description, String scope, long debianBug,
        Map<String, CveRelease> releases) {
    public CveEntry {
        description = description == null ? "" : description;
        scope = scope == null ? "" : scope;
        releases = Map.copyOf(releases);
    }

    public Optional<CveRelease> release(String codename) {
        return Optional.ofNullable(releases.get(codename));
    }
}
