package org.demi.compliance.evaluation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.status.StatusEntry;

/**
 * Which Debian release a host runs: {@code VERSION_CODENAME} of its os-release, else the
 * major version in {@code VERSION_ID}, else the major version of its installed
 * {@code base-files} (12.x is bookworm), the package that ships os-release itself.
 */
public final class HostRelease {
    private static final Map<Integer, String> CODENAMES = Map.ofEntries(
            Map.entry(7, "wheezy"), Map.entry(8, "jessie"), Map.entry(9, "stretch"), Map.entry(10, "buster"),
            Map.entry(11, "bullseye"), Map.entry(12, "bookworm"), Map.entry(13, "trixie"), Map.entry(14, "forky"),
            Map.entry(15, "duke"));

    private HostRelease() {
    }

    /** The release codename, or empty when nothing tells it. {@code osRelease} may be null. */
    public static Optional<String> detect(OsRelease osRelease, List<StatusEntry> status) {
        if (osRelease != null) {
            Optional<String> codename = osRelease.versionCodename().filter(c -> c.matches("[a-z][a-z0-9-]*"));
            if (codename.isPresent()) {
                return codename;
            }
            if (osRelease.id().equals("debian")) {
                Optional<String> byId = osRelease.versionId().flatMap(HostRelease::byMajor);
                if (byId.isPresent()) {
                    return byId;
                }
            }
        }
        return status.stream().filter(e -> e.packageName().equals("base-files") && e.isInstalled()).findFirst()
                .flatMap(e -> byMajor(e.version().upstreamVersion()));
    }

    static Optional<String> byMajor(String version) {
        int end = 0;
        while (end < version.length() && end < 3 && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? Optional.empty() : Optional.ofNullable(CODENAMES.get(Integer.parseInt(version.substring(0, end))));
    }
}
