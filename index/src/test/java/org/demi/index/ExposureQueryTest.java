package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;

/**
 * A CVE's host CVE documents are asked by the field only they hold, wherever a question asks
 * for the type and the CVE together, and only there; a segment written before the field is
 * asked the two terms and answers the same.
 */
class ExposureQueryTest {
    @Test
    void theTypeAndTheCveTogetherBecomeOneQuestion() {
        Query hosts = SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-1001").build().query();
        assertThat(exposures(FleetSearcher.cheaper(hosts))).as("a CVE's hosts, as its page asks").containsExactly("CVE-2026-1001");
        assertThat(exposures(FleetSearcher.cheaper(new ConstantScoreQuery(hosts))))
                .as("as a search that needs no scores asks it of Lucene").containsExactly("CVE-2026-1001");
        Query narrowed = FleetSearcher.cheaper(SearchQuery.parse("type:cve cve:CVE-2026-1001 cve_state:no-fix urgency:high").query());
        assertThat(exposures(narrowed)).containsExactly("CVE-2026-1001");
        assertThat(FleetSearcherTest.terms(narrowed)).as("the other words still hold; the type is the new question's own")
                .contains("cve_state:no-fix", "urgency:high").doesNotContain("type:cve");
        // A page's question with words typed into its search box: the page's part is nested.
        SearchQuery page = SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-1001").build();
        assertThat(exposures(FleetSearcher.cheaper(SearchQuery.parse("group:web", "cve").within(page).query())))
                .containsExactly("CVE-2026-1001");
    }

    @Test
    void otherQuestionsAboutACveAreLeftAsAsked() {
        for (String asked : List.of(
                "type:package cve:CVE-2026-1001", // installed packages hold the CVE too, and not the field
                "type:advisory cve:CVE-2026-1001",
                "type:cve cve:CVE-2026-1001,CVE-2026-1002", // either CVE: not a required term
                "type:cve cve:CVE-2026-*", // a prefix
                "type:cve host:min1")) {
            Query q = SearchQuery.parse(asked).query();
            assertThat(FleetSearcher.cheaper(q)).as(asked).isSameAs(q);
        }
    }

    private static List<String> exposures(Query q) {
        List<String> found = new java.util.ArrayList<>();
        collect(q, found);
        return found;
    }

    private static void collect(Query q, List<String> found) {
        if (q instanceof ConstantScoreQuery c) {
            collect(c.getQuery(), found);
        } else if (q instanceof ExposureQuery) {
            found.add(q.toString().substring(q.toString().lastIndexOf(':') + 1));
        } else if (q instanceof BooleanQuery b) {
            for (BooleanClause c : b.clauses()) {
                collect(c.getQuery(), found);
            }
        }
    }
}
