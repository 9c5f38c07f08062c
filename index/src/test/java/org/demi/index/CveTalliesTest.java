package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open CVEs' figures kept as hosts change, against one pass over the index; and the one-pass CVE tallies against the answer one faceted search per CVE gives, over hosts in
 * several segments, with replaced (deleted) documents, and a CVE a host is open to through two
 * sources — where counting documents instead of hosts would show.
 */
class CveTalliesTest {
    /** CVE-2026-2001 is open through openssl (fixed in bookworm-security) and through perl (no fix). */
    static final String TRACKER = """
            {"openssl": {
               "CVE-2026-2001": {"scope": "remote", "releases": {"bookworm": {"status": "resolved",
                                 "fixed_version": "3.0.22-1~deb12u1", "urgency": "high"}}},
               "CVE-2026-2002": {"scope": "local", "releases": {"bookworm": {"status": "open", "urgency": "low"}}}},
             "perl": {
               "CVE-2026-2001": {"scope": "remote", "releases": {"bookworm": {"status": "open", "urgency": "low"}}},
               "CVE-2026-2003": {"releases": {"bookworm": {"status": "open", "urgency": "unimportant"}}}}}
            """;

    @TempDir
    Path tmp;
    FleetIndex index;
    HostEvaluation evaluation;
    /** The hosts written, in order, to write again elsewhere. */
    List<IndexedHost> added = new java.util.ArrayList<>();

    /** The index under test: Lucene's here, Solr's in the subclass that runs the same tests against SolrCloud. */
    FleetIndex open() throws java.io.IOException {
        return FleetIndex.open(tmp.resolve("index"));
    }

    @BeforeEach
    void build() throws Exception {
        evaluation = MinbaseHost.evaluate("h", TRACKER);
        index = open();
        // h1 in a segment of its own; h2 and h3 in the next; h2 then replaced, which leaves its old documents deleted in place.
        add("h1", "a", Map.of("CVE-2026-2001 openssl", Instant.parse("2026-11-20T10:00:00Z"), "CVE-2026-2001 perl",
                Instant.parse("2026-11-21T10:00:00Z")));
        index.refresh();
        add("h2", "a", H2);
        add("h3", "b", Map.of());
        index.refresh();
        add("h2", "a", H2);
        index.refresh();
    }

    static final Map<String, Instant> H2 = Map.of("CVE-2026-2001 perl", Instant.parse("2026-10-01T00:00:00Z"), "CVE-2026-2001 openssl",
            Instant.parse("2026-10-02T00:00:00Z"));

    void add(String host, String group, Map<String, Instant> since) throws Exception {
        IndexedHost h = new IndexedHost(host, List.of(group), Verdict.NON_COMPLIANT, Optional.empty(), "c", Optional.of(evaluation), "",
                new CveTimeline(since, List.of()), List.of());
        added.add(h);
        index.replaceHost(h);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    static SearchQuery cves(String q) {
        return SearchQuery.parse(q, "cve").within(SearchQuery.builder("cve").build());
    }

    @Test
    void aCveOpenThroughTwoSourcesCountsItsHostsOnce() throws Exception {
        CveTally t = index.cveTallies(cves("")).get("CVE-2026-2001");
        assertThat(t.hosts()).isEqualTo(3);
        assertThat(t.exposures()).isEqualTo(6);
        assertThat(t.states()).isEqualTo(Map.of("fix-available", 3L, "no-fix", 3L));
        assertThat(t.statesByUrgency()).isEqualTo(Map.of("high", Set.of("fix-available"), "low", Set.of("no-fix")));
        assertThat(t.sources()).containsExactly("openssl", "perl");
        assertThat(t.oldestSince()).as("h3's history does not know: the oldest is unknown").isEmpty();
        assertThat(index.cveTallies(cves("group:a")).get("CVE-2026-2001").oldestSince()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(index.cveTallies(cves("group:a")).get("CVE-2026-2001").hosts()).isEqualTo(2);
    }

    @Test
    void everyHostIsCountedWhereASearchsFacetShowsOnlyTheMostFrequent() throws Exception {
        for (int i = 10; i < 22; i++) {
            add("h" + i, "c", Map.of());
        }
        index.refresh();
        SearchQuery one = SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-2002").build();
        assertThat(index.search(one, 0, 100).facets().get("host")).as("a list's facet: its 10 most frequent hosts").hasSize(10);
        assertThat(index.cveTallies(one).get("CVE-2026-2002").hosts()).isEqualTo(15);
    }

    @Test
    void talliesAgreeWithOneSearchPerCve() throws Exception {
        for (String q : List.of("", "group:a", "urgency:low", "cve_state:no-fix source:perl", "host:h3", "urgency:medium")) {
            Map<String, CveTally> tallies = index.cveTallies(cves(q));
            Map<String, Long> ids = index.search(cves(q), 0, 0, Integer.MAX_VALUE).facets().getOrDefault("cve", Map.of());
            assertThat(tallies.keySet()).as(q).isEqualTo(ids.keySet());
            for (CveTally t : tallies.values()) {
                FleetIndex.Result one = index.search(cves(q + " cve:" + t.cve() + " sort:since"), 0, 1, Integer.MAX_VALUE);
                assertThat(t.hosts()).as(q + " " + t.cve()).isEqualTo(one.facets().get("host").size());
                assertThat(t.exposures()).isEqualTo(one.total());
                assertThat(t.states()).isEqualTo(one.facets().get("cve_state"));
                assertThat(t.oldestSince()).isEqualTo(one.rows().get(0).get(IndexField.SINCE));
                assertThat(Set.copyOf(t.sources())).isEqualTo(one.facets().get("source").keySet());
            }
        }
        assertThat(index.cveTallies(cves("urgency:medium"))).isEmpty();
    }

    /**
     * A CVE's page asks for its tally alone: it must be the one the CVE list's tallies hold,
     * through h2's documents deleted and written again and after a host is removed, and nothing
     * for a CVE no host is open to (though its id is indexed, in no CVE document, or not at all).
     */
    @Test
    void oneCvesTallyIsTheOneTheListHolds() throws Exception {
        for (int round = 0; round < 2; round++) {
            Map<String, CveTally> all = index.cveTallies(cves(""));
            assertThat(all).hasSize(3);
            for (CveTally t : all.values()) {
                assertThat(index.cveTally(t.cve())).as(t.cve()).contains(t);
            }
            index.removeHost("h1");
            add("h2", "a", Map.of());
            index.refresh();
        }
        assertThat(index.cveTally("CVE-2026-2001").orElseThrow().hosts()).isEqualTo(2);
        assertThat(index.cveTally("CVE-2026-9999")).isEmpty();
    }

    /**
     * A CVE's page lists its hosts with their facets, all but the hosts read off the tallies (in
     * Lucene). They must be what counting every hit gives (the same question in other words, which
     * Lucene counts hit by hit), each dimension's values the most documents first and equal counts
     * in the values' order, however few are asked for; through h2's documents deleted and written
     * again, and a host removed.
     */
    @Test
    void aCvesHostsListHasTheFacetsCountingEveryHitGives() throws Exception {
        for (int round = 0; round < 2; round++) {
            for (String cve : List.of("CVE-2026-2001", "CVE-2026-2002", "CVE-2026-2003", "CVE-2026-9999")) {
                SearchQuery page = SearchQuery.builder("cve").is(IndexField.CVE, cve).build();
                SearchQuery inOtherWords = cves("cve:" + cve);
                assertThat(CveTallies.hostsOf(page)).as("read off the tallies").contains(cve);
                assertThat(CveTallies.hostsOf(inOtherWords)).as("counted hit by hit").isEmpty();
                for (int values : List.of(1, 2, 10)) {
                    FleetIndexTest.assertSameAnswer(index.search(page, 0, 10, values), index.search(inOtherWords, 0, 10, values),
                            cve + " " + values);
                }
            }
            if (round == 0) {
                Map<String, Map<String, Long>> facets = index.search(SearchQuery.builder("cve").is(IndexField.CVE, "CVE-2026-2001").build(),
                        0, 10, 10).facets();
                assertThat(List.copyOf(facets.get("group").entrySet())).containsExactly(Map.entry("a", 4L), Map.entry("b", 2L));
                assertThat(List.copyOf(facets.get("source").entrySet())).as("equal counts in the values' order")
                        .containsExactly(Map.entry("openssl", 3L), Map.entry("perl", 3L));
                assertThat(facets.get("scope")).isEqualTo(Map.of("remote", 6L));
                assertThat(facets.get("host")).isEqualTo(Map.of("h1", 2L, "h2", 2L, "h3", 2L));
                assertThat(facets.get("cve")).isEqualTo(Map.of("CVE-2026-2001", 6L));
            }
            index.removeHost("h1");
            add("h2", "b", H2);
            index.refresh();
        }
    }

    /**
     * The CVE list with an empty search box asks what a CVE's page asks, in the very same words,
     * so both read one set of counts; a word typed narrows it to another question.
     */
    @Test
    void theListsEmptyQuestionIsTheCvePagesQuestion() throws Exception {
        SearchQuery every = SearchQuery.builder("cve").build();
        assertThat(cves("").query()).isEqualTo(every.query());
        assertThat(cves("").text()).isEqualTo(every.text());
        assertThat(cves("sort:-since").query()).isEqualTo(every.query());
        assertThat(cves("urgency:low").query()).isNotEqualTo(every.query());
        assertThat(index.cveTallies(cves("urgency:low"))).hasSize(2);
        assertThat(index.cveTallies(cves(""))).isEqualTo(index.cveTallies(every)).hasSize(3);
    }

    /** Lucene keeps the counts of a question between requests: the list's empty question and a CVE's page read the very same ones. */
    @Test
    void theListAndACvesPageShareOneSetOfCounts() throws Exception {
        assertThat(index.cveTallies(cves(""))).isSameAs(index.cveTallies(SearchQuery.builder("cve").build()));
    }

    /** What one pass over every CVE document says of the fleet's open CVEs: the oracle for the figures kept up to date. */
    OpenCves counted() throws Exception {
        Map<String, CveTally> all = index.cveTallies(cves(""));
        Map<String, Map<String, Long>> byUrgency = new java.util.HashMap<>();
        all.values().forEach(t -> t.statesByUrgency().forEach((u, states) -> states.forEach(
                st -> byUrgency.computeIfAbsent(u, x -> new java.util.HashMap<>()).merge(st, 1L, Long::sum))));
        return new OpenCves(all.size(), byUrgency);
    }

    @Test
    void theOpenCvesFiguresAreKeptUpToDateAsHostsChange() throws Exception {
        OpenCves now = index.openCves();
        assertThat(now.cves()).isEqualTo(3);
        assertThat(now.count("high", "fix-available")).isEqualTo(1);
        assertThat(now.count("low", "no-fix")).as("CVE-2026-2001 through perl, CVE-2026-2002").isEqualTo(2);
        assertThat(now).isEqualTo(counted());

        // Written twice before a refresh, removed, written again: each time its old exposures leave the figures.
        add("h4", "b", Map.of());
        add("h4", "b", Map.of());
        index.removeHost("h1");
        index.removeHost("h2");
        index.removeHost("h3");
        index.removeHost("h4");
        assertThat(index.openCves()).as("not refreshed yet: the figures of what searches see").isEqualTo(now);
        index.refresh();
        assertThat(index.openCves()).isEqualTo(new OpenCves(0, Map.of())).isEqualTo(counted());
        add("h2", "a", H2);
        index.refresh();
        assertThat(index.openCves()).isEqualTo(now).isEqualTo(counted());

        // Everything removed, and the hosts written again before the refresh: the old reader's documents are not taken away twice.
        index.clear();
        add("h2", "a", H2);
        add("h3", "b", Map.of());
        index.refresh();
        assertThat(index.openCves()).isEqualTo(now).isEqualTo(counted());
    }

    @Test
    void theFiguresOfAnIndexReopenedOrOpenedForSearchingAreCountedFromIt() throws Exception {
        OpenCves now = index.openCves();
        index.commit();
        try (FleetIndex reader = FleetIndex.openReadOnly(tmp.resolve("index"))) {
            assertThat(reader.openCves()).isEqualTo(now);
        }
        index.close();
        index = FleetIndex.open(tmp.resolve("index"));
        assertThat(index.openCves()).isEqualTo(now);
        index.removeHost("h1");
        index.refresh();
        assertThat(index.openCves()).isEqualTo(now).as("h2 and h3 are open to the same CVEs").isEqualTo(counted());
    }

    @Test
    void onlyCveDocumentsAreTallied() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.cveTallies(SearchQuery.parse("", "package")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
