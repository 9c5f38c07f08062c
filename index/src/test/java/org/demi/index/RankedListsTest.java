package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RankedListsTest {
    private static int[] hits(int n) {
        return new int[n];
    }

    /**
     * The case that sent deep pages back to Lucene's collector: kept by their number, 16 shallow
     * lists asked after a deep one pushed it out. By hits, the deep list stays while they fit.
     */
    @Test
    void manyShallowListsLeaveADeepOneKeptWhileTheyFitTheBudget() {
        RankedLists<String> lists = new RankedLists<>(10_000);
        int[] deep = hits(5_000);
        lists.put("deep", deep);
        for (int i = 0; i < 40; i++) {
            lists.put("shallow " + i, hits(100));
        }
        assertThat(lists.get("deep")).isSameAs(deep);
        assertThat(lists.get("shallow 0")).hasSize(100);
        assertThat(lists.held()).isEqualTo(9_000);
    }

    /** Past the budget, the lists asked least recently go first, asked meaning read as well as kept. */
    @Test
    void theListsAskedLeastRecentlyArePushedOutFirst() {
        RankedLists<String> lists = new RankedLists<>(1_000);
        lists.put("a", hits(400));
        lists.put("b", hits(400));
        lists.get("a");
        lists.put("c", hits(400));
        assertThat(lists.get("b")).as("asked least recently").isNull();
        assertThat(lists.get("a")).hasSize(400);
        assertThat(lists.get("c")).hasSize(400);
        assertThat(lists.held()).isEqualTo(800);
        lists.put("d", hits(1_000));
        assertThat(lists.get("a")).isNull();
        assertThat(lists.get("c")).isNull();
        assertThat(lists.get("d")).hasSize(1_000);
        assertThat(lists.held()).isEqualTo(1_000);
    }

    /** Pages asking at once may rank a list to different depths: the deeper ranking stays. */
    @Test
    void aListKeptDeeperIsNotReplacedByAShallowerRanking() {
        RankedLists<String> lists = new RankedLists<>(1_000);
        int[] deeper = hits(600);
        lists.put("a", deeper);
        lists.put("a", hits(200));
        assertThat(lists.get("a")).isSameAs(deeper);
        int[] deepest = hits(900);
        lists.put("a", deepest);
        assertThat(lists.get("a")).isSameAs(deepest);
        assertThat(lists.held()).isEqualTo(900);
    }

    /** A list deeper than the whole budget is not kept, and pushes nothing out. */
    @Test
    void aListDeeperThanTheBudgetIsNotKept() {
        RankedLists<String> lists = new RankedLists<>(1_000);
        lists.put("a", hits(300));
        lists.put("huge", hits(1_001));
        assertThat(lists.get("huge")).isNull();
        assertThat(lists.get("a")).hasSize(300);
        assertThat(lists.held()).isEqualTo(300);
        assertThatThrownBy(() -> new RankedLists<String>(0)).hasMessageContaining("a budget of 0 hits keeps nothing");
    }
}
