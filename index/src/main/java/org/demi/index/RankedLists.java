package org.demi.index;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader's lists (each a query and a sort) with their hits ranked as far as some page needed
 * them, the most recently asked kept while their hits, together, stay within a budget.
 *
 * <p>Kept by their number alone (16 lists), shallow lists (the second page of a short list, merged
 * 1,024 hits deep) pushed out a list ranked a million hits deep, which then had to be ranked again;
 * a budget of hits keeps many shallow lists and a few deep ones together, and bounds the memory
 * (four bytes a hit) all the same.
 */
final class RankedLists<K> {
    private final long budget;
    private long held;
    private final LinkedHashMap<K, int[]> lists = new LinkedHashMap<>(64, 0.75f, true);

    /** @param budget how many hits the lists kept hold together at most */
    RankedLists(long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("a budget of " + budget + " hits keeps nothing");
        }
        this.budget = budget;
    }

    /** The list's ranked hits (null when it is not kept), now the most recently asked. */
    synchronized int[] get(K list) {
        return lists.get(list);
    }

    /**
     * Keeps the list's hits, unless it is kept already at least as far; then pushes out the lists
     * asked least recently until the others fit the budget. A list alone deeper than the budget is
     * not kept.
     */
    synchronized void put(K list, int[] hits) {
        int[] was = lists.get(list);
        if (was != null && was.length >= hits.length) {
            return;
        }
        if (hits.length > budget) {
            return;
        }
        if (was != null) {
            held -= was.length;
        }
        lists.put(list, hits);
        held += hits.length;
        Iterator<Map.Entry<K, int[]>> eldest = lists.entrySet().iterator();
        while (held > budget) {
            Map.Entry<K, int[]> e = eldest.next();
            held -= e.getValue().length;
            eldest.remove();
        }
    }

    /** How many hits the lists kept hold together. */
    synchronized long held() {
        return held;
    }
}
