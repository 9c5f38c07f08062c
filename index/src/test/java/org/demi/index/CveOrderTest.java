package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.evaluation.CveState;
import org.junit.jupiter.api.Test;

/**
 * A CVE document's one sort key orders exactly as the four fields it stands for, compared in
 * turn as Lucene and Solr compare them (words and since by their bytes, urgency by its rank).
 */
class CveOrderTest {
    record Fields(String state, int urgency, String since, String host) {
    }

    private static final Comparator<Fields> BY_FIELDS = Comparator.<Fields, BytesRef>comparing(f -> new BytesRef(f.state()))
            .thenComparingInt(Fields::urgency).thenComparing(f -> new BytesRef(f.since())).thenComparing(f -> new BytesRef(f.host()));

    @Test
    void everyPairOrdersAsItsFieldsInTurn() {
        // Values chosen for the edges of a key made of values in a row: a value that begins another
        // ("h1", "h10"; a since and the same since with a fraction), the empty since (no timeline
        // entry), a byte above ASCII in a host (UTF-8), urgency ranks 0 and 255 and a since or host
        // that would sort otherwise were the fields not separated.
        List<String> states = new ArrayList<>();
        for (CveState s : CveState.values()) {
            states.add(s.word());
        }
        states.add("fix");
        List<Fields> all = new ArrayList<>();
        for (String state : states) {
            for (int urgency : new int[] {0, 1, 7, 255}) {
                for (String since : List.of("", "2026-10-01T00:00:00Z", "2026-10-01T00:00:00.500Z", "2026-10-01T00:00:00.5Z", "2025")) {
                    for (String host : List.of("h1", "h10", "h1-a", "hé", "a", "")) {
                        all.add(new Fields(state, urgency, since, host));
                    }
                }
            }
        }
        int unequal = 0;
        for (Fields a : all) {
            BytesRef ka = key(a);
            for (Fields b : all) {
                int expected = Integer.signum(BY_FIELDS.compare(a, b));
                assertThat(Integer.signum(ka.compareTo(key(b)))).as("%s against %s", a, b).isEqualTo(expected);
                unequal += expected == 0 ? 0 : 1;
            }
        }
        assertThat(unequal).as("pairs that differ, so that the order was tested").isEqualTo(all.size() * (all.size() - 1));
    }

    @Test
    void anUrgencyRankBeyondAByteIsRefused() {
        assertThatThrownBy(() -> CveOrder.key("open", 256, "", "h1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }

    @Test
    void theKeyStandsForTheCveListsUsualOrderAlone() {
        assertThat(CveOrder.standsFor(SearchQuery.parse("host:h1", "cve").sort())).isTrue();
        // Another order, asked for by name, is ranked by its own fields.
        assertThat(CveOrder.standsFor(SearchQuery.parse("sort:-urgency", "cve").sort())).isFalse();
        assertThat(CveOrder.standsFor(SearchQuery.parse("sort:cve_state", "cve").sort())).isFalse();
        assertThat(CveOrder.standsFor(SearchQuery.parse("", "package").sort())).isFalse();
    }

    private static BytesRef key(Fields f) {
        return CveOrder.key(f.state(), f.urgency(), f.since(), f.host());
    }
}
