package org.demi.compliance.evaluation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every CVE the tracker lists for one installed source (at one source version, with one set of
 * binaries) and where it stands: one value shared by every host that has the same, so a fleet
 * holds each distinct judgement once.
 *
 * @param counts  per state, the CVEs the tracker lists under this source only
 * @param shared  the CVEs it also lists under another source, which a host may have too: a host
 *                counts those once over all its sources
 */
public record CveFindings(List<HostCve> all, List<HostCve> open, Map<CveState, Integer> counts, List<HostCve> shared) {
    public CveFindings {
        all = List.copyOf(all);
        open = List.copyOf(open);
        counts = java.util.Collections.unmodifiableMap(new EnumMap<>(counts));
        shared = List.copyOf(shared);
    }

    /** @param multiSource whether the tracker lists a CVE id under more than one source */
    public static CveFindings of(List<HostCve> all, Predicate<String> multiSource) {
        Map<CveState, Integer> counts = new EnumMap<>(CveState.class);
        List<HostCve> shared = new java.util.ArrayList<>();
        for (HostCve c : all) {
            if (multiSource.test(c.id())) {
                shared.add(c);
            } else {
                counts.merge(c.state(), 1, Integer::sum);
            }
        }
        return new CveFindings(all, all.stream().filter(c -> c.state().open()).toList(), counts, shared);
    }
}
