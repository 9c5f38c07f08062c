package org.demi.index;

import java.util.Map;

/**
 * The fleet's open CVEs at a glance, as the overview shows them: how many distinct CVEs some host
 * is open to, and of them how many in each urgency and state. The figures are what one pass over
 * every host CVE document would give, but {@link FleetIndex} keeps them up to date as hosts are
 * replaced ({@link OpenCveCounts}), so answering them costs nothing however many documents there
 * are.
 *
 * @param cves          distinct CVEs open on some host
 * @param byUrgency     for each urgency and state, the distinct CVEs open in it on some host
 */
public record OpenCves(long cves, Map<String, Map<String, Long>> byUrgency) {
    public OpenCves {
        byUrgency = Map.copyOf(byUrgency);
    }

    /** How many distinct CVEs are open on some host with this urgency and state. */
    public long count(String urgency, String state) {
        return byUrgency.getOrDefault(urgency, Map.of()).getOrDefault(state, 0L);
    }

    /** The figures of these tallies (every CVE some host CVE document names, counted over all of them). */
    static OpenCves of(java.util.Collection<CveTally> tallies) {
        Map<String, Map<String, Long>> byUrgency = new java.util.HashMap<>();
        for (CveTally t : tallies) {
            t.statesByUrgency().forEach((urgency, states) -> states.forEach(state ->
                    byUrgency.computeIfAbsent(urgency, u -> new java.util.HashMap<>()).merge(state, 1L, Long::sum)));
        }
        Map<String, Map<String, Long>> copied = new java.util.HashMap<>();
        byUrgency.forEach((u, m) -> copied.put(u, Map.copyOf(m)));
        return new OpenCves(tallies.size(), copied);
    }

    /** One host CVE document, as counted. */
    record Exposure(String cve, String urgency, String state) {
    }
}
