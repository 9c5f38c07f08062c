package org.demi.compliance.tracker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The security tracker's CVE data, looked up as evaluation asks: by release and source package,
 * and by CVE id.
 */
public final class TrackerData {
    /** One entry's line for one release. */
    public record Item(CveEntry entry, CveRelease release) {
    }

    private static final TrackerData EMPTY = new TrackerData(List.of());

    private final Map<String, Map<String, List<Item>>> byReleaseAndSource = new HashMap<>();
    private final Map<String, List<CveEntry>> byId = new HashMap<>();
    private final Map<String, Integer> perRelease = new TreeMap<>();
    private final java.util.Set<String> multiSource = new java.util.HashSet<>();
    private final int entries;

    public TrackerData(Collection<CveEntry> all) {
        for (CveEntry e : all) {
            byId.computeIfAbsent(e.id(), k -> new ArrayList<>(1)).add(e);
            for (CveRelease r : e.releases().values()) {
                byReleaseAndSource.computeIfAbsent(r.release(), k -> new HashMap<>())
                        .computeIfAbsent(e.source(), k -> new ArrayList<>()).add(new Item(e, r));
                perRelease.merge(r.release(), 1, Integer::sum);
            }
        }
        byId.replaceAll((k, v) -> List.copyOf(v));
        byId.forEach((id, list) -> {
            if (list.size() > 1) {
                multiSource.add(id);
            }
        });
        entries = all.size();
    }

    public static TrackerData empty() {
        return EMPTY;
    }

    /** What the tracker says of {@code source}'s CVEs in {@code release}. */
    public List<Item> items(String release, String source) {
        return byReleaseAndSource.getOrDefault(release, Map.of()).getOrDefault(source, List.of());
    }

    /** Every source package's entry for one CVE id; empty when the tracker does not know it. */
    public List<CveEntry> entries(String id) {
        return byId.getOrDefault(id, List.of());
    }

    /** Whether the tracker lists this CVE under more than one source package (a copy of a library, a fork). */
    public boolean multiSource(String id) {
        return multiSource.contains(id);
    }

    /** How many (source, CVE) entries. */
    public int size() {
        return entries;
    }

    /** How many distinct CVE (and TEMP-) ids. */
    public int ids() {
        return byId.size();
    }

    public Set<String> cveIds() {
        return java.util.Collections.unmodifiableSet(byId.keySet());
    }

    /** Per release codename, how many (source, CVE) entries name it. */
    public Map<String, Integer> perRelease() {
        return java.util.Collections.unmodifiableMap(perRelease);
    }
}
