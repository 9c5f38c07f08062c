package org.demi.index;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CVE as the hosts' CVE documents matching a question show it, counted in one pass over
 * them (see {@link FleetIndex#cveTallies}): what a row of the CVE list and the overview's
 * figures are made of.
 *
 * @param hosts            how many distinct hosts are open to it
 * @param exposures        how many host CVE documents name it (a host open through two sources counts twice)
 * @param states           the documents by CVE state ({@code fix-available} ...)
 * @param statesByUrgency  for each urgency (the host's release's, as the tracker gives it) the states it is open in
 * @param oldestSince      the earliest "since" of its documents, empty when one of them does not know
 * @param sources          the source packages it is open through, the most hosts first
 */
public record CveTally(String cve, long hosts, long exposures, Map<String, Long> states, Map<String, Set<String>> statesByUrgency,
        String oldestSince, List<String> sources) {
    public CveTally {
        states = Map.copyOf(states);
        statesByUrgency = Map.copyOf(statesByUrgency);
        sources = List.copyOf(sources);
    }
}
