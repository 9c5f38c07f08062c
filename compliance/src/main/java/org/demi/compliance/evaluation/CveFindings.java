package org.demi.compliance.evaluation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every CVE the tracker lists for one installed source (at one source version, with one set of
 * binaries) and where it stands: one value shared by every host that has the same, so a fleet
 * holds each distinct judgement once.
 */
public record CveFindings(List<HostCve> all, List<HostCve> open, Map<CveState, Integer> counts) {
    public CveFindings {
        all = List.copyOf(all);
        open = List.copyOf(open);
        counts = java.util.Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    public static CveFindings of(List<HostCve> all) {
        Map<CveState, Integer> counts = new EnumMap<>(CveState.class);
        all.forEach(c -> counts.merge(c.state(), 1, Integer::sum));
        return new CveFindings(all, all.stream().filter(c -> c.state().open()).toList(), counts);
    }
}
