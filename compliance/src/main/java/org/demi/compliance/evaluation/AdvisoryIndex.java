package org.demi.compliance.evaluation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.FixKind;
import org.demi.compliance.advisory.ReleaseFix;
import org.demi.deb.version.Version;

/** Advisories by release and source package, as evaluation looks them up. */
public final class AdvisoryIndex {
    /** One advisory's line for one release and source package. */
    public record Entry(Advisory advisory, ReleaseFix fix) {
        /**
         * Whether a host with {@code sourceVersion} of the source installed is still open to it:
         * below the fixed version, or the release is marked {@code <unfixed>} (affected, nothing
         * to install yet). Not-affected, end-of-life and no-DSA lines open nothing.
         */
        public boolean opensAt(Version sourceVersion) {
            return fix.kind() == FixKind.FIXED ? sourceVersion.compareTo(fix.fixedVersion()) < 0
                    : fix.kind() == FixKind.UNFIXED;
        }
    }

    private final Map<String, Map<String, List<Entry>>> byReleaseAndSource = new HashMap<>();
    private final int size;

    public AdvisoryIndex(Collection<Advisory> advisories) {
        for (Advisory a : advisories) {
            for (ReleaseFix f : a.fixes()) {
                byReleaseAndSource.computeIfAbsent(f.release(), k -> new HashMap<>())
                        .computeIfAbsent(f.source(), k -> new ArrayList<>()).add(new Entry(a, f));
            }
        }
        size = advisories.size();
    }

    public static AdvisoryIndex empty() {
        return new AdvisoryIndex(List.of());
    }

    public int size() {
        return size;
    }

    public List<Entry> entries(String release, String source) {
        return byReleaseAndSource.getOrDefault(release, Map.of()).getOrDefault(source, List.of());
    }
}
