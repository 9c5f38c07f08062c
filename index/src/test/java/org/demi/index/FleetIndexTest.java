package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.PackageEvaluation;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.version.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index over real evaluations: three bullseye hosts (one with openssl set back) and two bookworm ones. */
class FleetIndexTest {
    @TempDir
    Path tmp;
    FleetIndex index;
    List<HostEvaluation> evaluations = new ArrayList<>();
    /** What was indexed, in order, to index again elsewhere. */
    List<IndexedHost> indexed = new ArrayList<>();
    AdvisoryList dsa;

    /** The fleet built and indexed under {@code tmp}, its index closed: for its hosts and advisories. */
    static FleetIndexTest built(Path tmp) throws Exception {
        FleetIndexTest fleet = new FleetIndexTest();
        fleet.tmp = tmp;
        fleet.build();
        fleet.close();
        return fleet;
    }

    /**
     * This fleet's hosts written straight through {@code writer} into several segments: the first
     * host alone, then two hosts to a segment, then the second host written again, so that its
     * neighbour's documents stay live beside deleted ones. Committed.
     */
    void writeInSegments(org.apache.lucene.index.IndexWriter writer) throws java.io.IOException {
        for (int i = 0; i < indexed.size(); i++) {
            IndexedHost h = indexed.get(i);
            writer.updateDocuments(new org.apache.lucene.index.Term(Schema.OWNER, "host:" + h.host()), Documents.host(h).documents());
            if (i % 2 == 0) {
                writer.flush();
            }
        }
        IndexedHost again = indexed.get(1);
        writer.updateDocuments(new org.apache.lucene.index.Term(Schema.OWNER, "host:" + again.host()), Documents.host(again).documents());
        writer.commit();
    }

    /** The index under test: Lucene's here, Solr's in the subclass that runs the same tests against SolrCloud. */
    FleetIndex open() throws java.io.IOException {
        return FleetIndex.open(tmp.resolve("index"));
    }

    @BeforeEach
    void build() throws Exception {
        dsa = AdvisoryList.parse(Files.readAllBytes(Fixtures.path("tracker/DSA-list")), "DSA-list");
        ReleaseArchive bullseye = ReleaseArchive.builder("bullseye").addPackages(new ByteArrayInputStream(
                Fixtures.plain("archive/bullseye-security/main/binary-amd64/Packages.xz")), "p", "bullseye-security", true).build();
        ReleaseArchive bookworm = ReleaseArchive.builder("bookworm")
                .addPackages(new ByteArrayInputStream(Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz")), "p", "bookworm", false)
                .addPackages(new ByteArrayInputStream(Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz")), "p",
                        "bookworm-security", true).build();
        Evaluator evaluator = new Evaluator(Map.of("bullseye", bullseye, "bookworm", bookworm), new AdvisoryIndex(dsa.advisories()));
        index = open();
        String bull = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"));
        String[][] hosts = {{"bull1", "bullseye-minbase", bull}, {"bull2", "bullseye-minbase", bull},
                {"bull-old", "bullseye-minbase", bull.replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3")},
                {"dev1", "bookworm-dev", Files.readString(Fixtures.path("hosts/bookworm-dev/status"))},
                {"min1", "bookworm-minbase", Files.readString(Fixtures.path("hosts/bookworm-minbase/status"))}};
        for (String[] h : hosts) {
            HostEvaluation e = evaluator.evaluate(h[0], OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/" + h[1] + "/os-release"))),
                    StatusFile.parse(h[2].getBytes(java.nio.charset.StandardCharsets.UTF_8), h[0]));
            evaluations.add(e);
            IndexedHost host = new IndexedHost(h[0], h[0].startsWith("bull") ? List.of("legacy", "lab") : List.of("web"),
                    e.compliant() ? Verdict.COMPLIANT : Verdict.NON_COMPLIANT, Optional.of(Instant.parse("2026-11-24T08:00:00Z")),
                    "c-" + h[0], e);
            indexed.add(host);
            index.replaceHost(host);
        }
        index.replaceAdvisories(dsa.advisories());
        index.refresh();
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    /**
     * A host that runs an older kernel than its newest image, and must restart a service: what
     * its evaluation says of them, as the kernel's judgement leaves it.
     */
    static IndexedHost rebooting(HostEvaluation e) {
        HostEvaluation with = new HostEvaluation("kern1", e.release(), e.support(), e.nativeArchitecture(), e.packages(),
                e.openAdvisories(), e.cveFindings(), Optional.of(new org.demi.compliance.evaluation.HostKernel("linux", "amd64",
                        Optional.of("6.1.0-47-amd64"), Optional.of(Version.parse("6.1.170-3")), "linux-image-6.1.0-56-amd64",
                        Version.parse("6.1.192-2"))), Optional.of(running()));
        return new IndexedHost("kern1", List.of("web"), Verdict.REBOOT_REQUIRED, Optional.of(Instant.parse("2026-11-24T08:00:00Z")),
                "c-kern1", with);
    }

    /** What demi-inventory says of a Debian kernel, as uname prints it, and needrestart's two services. */
    static org.demi.compliance.inventory.RunningSystem running() {
        try {
            return org.demi.compliance.inventory.RunningSystem.parse(("Kernel-Release: 6.1.0-47-amd64\nKernel-Version: #1 SMP "
                    + "PREEMPT_DYNAMIC Debian 6.1.170-3 (2026-11-02)\nBoot-Time: 1764000000\nReboot-Required: no\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII), ("NEEDRESTART-VER: 3.6\nNEEDRESTART-KSTA: 1\n"
                    + "NEEDRESTART-SVC: cron.service\nNEEDRESTART-SVC: ssh.service\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (org.demi.compliance.inventory.InventoryException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theKernelAHostRunsAndWhatItMustRestartAreSearchable() throws Exception {
        index.replaceHost(rebooting(evaluations.get(4)));
        index.refresh();
        assertThat(search("type:host reboot_required:yes").rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("kern1");
        assertThat(index.count(SearchQuery.parse("type:host reboot_required:no"))).isEqualTo(5);
        assertThat(search("type:host kernel_version:<<6.1.171-1").rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("kern1");
        assertThat(index.count(SearchQuery.parse("type:host kernel_version:>=6.1.171-1"))).isZero();
        assertThat(search("type:host kernel:6.1.0-47-* restart_services:2").rows()).extracting(r -> r.get(IndexField.HOST))
                .containsExactly("kern1");
        assertThat(search("type:host verdict:reboot-required").total()).isEqualTo(1);
        Row row = search("type:host host:kern1").rows().get(0);
        assertThat(row.all(IndexField.REBOOT_REASON)).containsExactly(
                "runs linux 6.1.170-3 (6.1.0-47-amd64); linux-image-6.1.0-56-amd64 6.1.192-2 is installed");
        assertThat(row.all(IndexField.SERVICES)).containsExactly("cron.service", "ssh.service");
        assertThat(row.get(IndexField.KERNEL_VERSION)).isEqualTo("6.1.170-3");
        assertThat(row.get(IndexField.KERNEL_BUILD)).isEqualTo("#1 SMP PREEMPT_DYNAMIC Debian 6.1.170-3 (2026-11-02)");
        assertThat(row.get(IndexField.BOOTED)).isEqualTo("2025-11-24T16:00:00Z");
    }

    FleetIndex.Result search(String q) throws Exception {
        return index.search(SearchQuery.parse(q), 0, 100_000);
    }

    /** Two answers alike: totals, rows, and each dimension's values and counts in their order. */
    static void assertSameAnswer(FleetIndex.Result one, FleetIndex.Result other, String as) {
        assertThat(one.total()).as(as).isEqualTo(other.total());
        assertThat(one.rows()).as(as).isEqualTo(other.rows());
        assertThat(one.facets().keySet()).as(as).containsExactlyElementsOf(other.facets().keySet());
        one.facets().forEach((dim, v) -> assertThat(List.copyOf(v.entrySet())).as(as + " " + dim)
                .isEqualTo(List.copyOf(other.facets().get(dim).entrySet())));
    }

    /**
     * A package's page lists its hosts with their facets, all but the hosts read off the facets
     * kept for every installed package (in Lucene). They must be what counting every hit gives
     * (the same question in other words, which Lucene counts hit by hit): totals, rows, each
     * dimension's values in order however few are asked for; through a host removed and a host
     * written again into other groups.
     */
    @Test
    void aPackagesHostsListHasTheFacetsCountingEveryHitGives() throws Exception {
        for (int round = 0; round < 2; round++) {
            for (String name : List.of("libssl1.1", "libc6", "perl-base", "nosuchpackage")) {
                SearchQuery page = SearchQuery.builder("package").is(IndexField.PACKAGE, name).build();
                SearchQuery inOtherWords = SearchQuery.parse("package:" + name, "package").within(SearchQuery.builder("package").build());
                assertThat(PackageFacets.hostsOf(page)).as("read off the kept facets").contains(name);
                assertThat(PackageFacets.hostsOf(inOtherWords)).as("counted hit by hit").isEmpty();
                for (int values : List.of(1, 2, 10)) {
                    assertSameAnswer(index.search(page, 0, 10, values), index.search(inOtherWords, 0, 10, values), name + " " + values);
                }
            }
            Map<String, Map<String, Long>> libc6 = index.search(SearchQuery.builder("package").is(IndexField.PACKAGE, "libc6").build(),
                    0, 10, 10).facets();
            Map<String, Map<String, Long>> libssl = index.search(SearchQuery.builder("package").is(IndexField.PACKAGE, "libssl1.1")
                    .build(), 0, 10, 10).facets();
            // the three bullseye hosts (two after bull1 is removed) have libssl1.1; bull-old alone the version DSA-5343-1 fixes
            assertThat(libssl.get("advisory")).isEqualTo(Map.of("DSA-5343-1", 1L));
            assertThat(List.copyOf(libssl.get("group").entrySet())).as("equal counts in the values' order")
                    .containsExactly(Map.entry("lab", 3L - round), Map.entry("legacy", 3L - round));
            if (round == 0) {
                assertThat(List.copyOf(libc6.get("group").entrySet())).containsExactly(Map.entry("lab", 3L), Map.entry("legacy", 3L),
                        Map.entry("web", 2L));
                assertThat(List.copyOf(libc6.get("state").entrySet())).containsExactly(Map.entry("security-update", 3L),
                        Map.entry("current", 2L));
            } else {
                // bull1 gone; dev1 written again in lab instead of web
                assertThat(List.copyOf(libc6.get("group").entrySet())).containsExactly(Map.entry("lab", 3L), Map.entry("legacy", 2L),
                        Map.entry("web", 1L));
                assertThat(List.copyOf(libc6.get("state").entrySet())).containsExactly(Map.entry("current", 2L),
                        Map.entry("security-update", 2L));
            }
            index.removeHost("bull1");
            IndexedHost dev = indexed.get(3);
            index.replaceHost(new IndexedHost(dev.host(), List.of("lab"), dev.verdict(), dev.lastSeen(), dev.checksum(), dev.evaluation(),
                    dev.reason(), dev.cves(), dev.waiting()));
            index.refresh();
        }
    }

    @Test
    void aRepeatedQueryIsAnsweredFromCacheUntilTheIndexChanges() throws Exception {
        SearchQuery q = SearchQuery.parse("type:host group:lab sort:host");
        index.search(q, 0, 10);
        FleetIndex.Result first = index.search(q, 0, 10); // asked again: kept (see the test below)
        assertThat(first.total()).isEqualTo(3);
        // The same question, even parsed anew, is the same answer; another page or facet depth is another question.
        assertThat(index.search(SearchQuery.parse("type:host group:lab sort:host"), 0, 10)).isSameAs(first);
        assertThat(index.search(q, 1, 10)).isNotSameAs(first);
        assertThat(index.search(SearchQuery.parse("type:host group:lab sort:-host"), 0, 10).rows().get(0).get(IndexField.HOST)).isEqualTo("bull2");
        assertThatThrownBy(() -> first.rows().get(0).values().put("host", "x")).isInstanceOf(UnsupportedOperationException.class);
        // A change, once refreshed, is seen by the very next search: the cache went with the old reader.
        index.removeHost("bull1");
        assertThat(index.search(q, 0, 10)).isSameAs(first);
        index.refresh();
        FleetIndex.Result after = index.search(q, 0, 10);
        assertThat(after.total()).isEqualTo(2);
        assertThat(after.rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("bull-old", "bull2");
    }

    /**
     * A search for no row (the CVE list counts its documents so, the pages the releases of the
     * hosts), or for a page past the last hit, is the list's total and facets with no row: what
     * the list's first page says of them, whatever the list's order.
     */
    @Test
    void aCountOrAPagePastTheEndHasTheListsTotalAndFacetsAndNoRow() throws Exception {
        for (String q : List.of("type:package", "type:host", "type:package state:update sort:-version")) {
            FleetIndex.Result page = index.search(SearchQuery.parse(q), 0, 10);
            assertThat(page.rows()).as(q).isNotEmpty();
            for (int offset : new int[] {0, (int) page.total(), (int) page.total() + 7}) {
                FleetIndex.Result none = index.search(SearchQuery.parse(q), offset, offset == 0 ? 0 : 10);
                assertThat(none.rows()).as(q + " at " + offset).isEmpty();
                assertThat(none.total()).as(q + " at " + offset).isEqualTo(page.total());
                assertThat(none.facets()).as(q + " at " + offset).isEqualTo(page.facets()).isNotEmpty();
            }
        }
    }

    @Test
    void aPageIsKeptWhenAskedAgainItsCountsAtOnce() throws Exception {
        SearchQuery q = SearchQuery.parse("type:package group:lab sort:package");
        FleetIndex.Result first = index.search(q, 0, 10);
        assertThat(first.total()).isGreaterThan(10);
        // Asked once, a page's rows are not kept: the second ask reads them again, the same rows ...
        FleetIndex.Result second = index.search(q, 0, 10);
        assertThat(second).isNotSameAs(first);
        assertThat(second.rows()).isEqualTo(first.rows());
        // ... but the list's total and facet counts, which cost a pass over every hit, were kept at the first ask ...
        assertThat(second.facets()).isNotEmpty().isSameAs(first.facets());
        // ... and a page asked twice is kept, until the index changes.
        assertThat(index.search(SearchQuery.parse("type:package group:lab sort:package"), 0, 10)).isSameAs(second);
        assertThat(index.search(q, 10, 10).facets()).isSameAs(first.facets());
    }

    @Test
    void versionRangesAreIndexQueriesThatAgreeWithDpkgOrder() throws Exception {
        for (String op : List.of("<<", "<=", ">=", ">>", "=")) {
            for (String v : List.of("1.1.1n-0+deb11u4", "1.1.1w-0+deb11u1", "3.0.11-1~deb12u2", "1:2.36.1-8+deb11u1", "2.36")) {
                List<String> expected = new ArrayList<>();
                for (HostEvaluation e : evaluations) {
                    for (PackageEvaluation p : e.packages()) {
                        int c = p.installed().compareTo(Version.parse(v));
                        boolean in = switch (op) {
                            case "<<" -> c < 0;
                            case "<=" -> c <= 0;
                            case ">=" -> c >= 0;
                            case ">>" -> c > 0;
                            default -> c == 0;
                        };
                        if (in) {
                            expected.add(e.host() + " " + p.packageName() + ":" + p.architecture());
                        }
                    }
                }
                List<String> got = search("version:" + op + v).rows().stream()
                        .map(r -> r.get(IndexField.HOST) + " " + r.get(IndexField.PACKAGE) + ":" + r.get(IndexField.ARCH)).toList();
                assertThat(got).as("version:" + op + v).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
        assertThat(search("package:openssl version:<<1.1.1n-0+deb11u4").rows()).extracting(r -> r.get(IndexField.HOST))
                .containsExactly("bull-old");
    }

    /**
     * A first page with no facet is counted by the collector that ranks it (no pass of its own):
     * its total is every hit's, whether the page holds all of them or a few, and the list's next
     * pages take that count; asked first, before any other page of its list counted it.
     */
    @Test
    void aFirstPageWithoutFacetsCountsEveryHitAsItRanksThem() throws Exception {
        for (String question : List.of("cve:CVE-2023-0286", "state:update", "type:host sort:-packages", "", "type:advisory",
                "package:nosuchpackage", "type:cve host:bull-old")) {
            List<Row> all = search(question).rows(); // counted with facets: not the count the first page below needs
            SearchQuery q = SearchQuery.parse(question);
            FleetIndex.Result first = index.hits(q, 0, 3);
            assertThat(first.total()).as(question).isEqualTo(all.size());
            assertThat(first.rows()).as(question).isEqualTo(all.subList(0, Math.min(3, all.size())));
            FleetIndex.Result next = index.hits(q, 3, 3);
            assertThat(next.total()).as(question + ", its second page").isEqualTo(all.size());
            assertThat(next.rows()).as(question).isEqualTo(all.subList(Math.min(3, all.size()), Math.min(6, all.size())));
            assertThat(index.hits(q, 0, all.size() + 10).total()).as(question + ", all of it").isEqualTo(all.size());
        }
        assertThat(search("cve:CVE-2023-0286").total()).as("hits, for the test to count").isGreaterThan(1);
        assertThat(search("state:update").total()).isGreaterThan(6);
    }

    @Test
    void sortingFollowsDpkgOrderAndPagesAreSlicesOfIt() throws Exception {
        List<Row> all = search("sort:-version sort:host").rows();
        for (int i = 0; i + 1 < all.size(); i++) {
            Version a = Version.parseTolerant(all.get(i).get(IndexField.VERSION));
            Version b = Version.parseTolerant(all.get(i + 1).get(IndexField.VERSION));
            assertThat(a.compareTo(b)).as(a + " before " + b).isGreaterThanOrEqualTo(0);
        }
        FleetIndex.Result page = index.search(SearchQuery.parse("sort:-version sort:host"), 40, 20);
        assertThat(page.total()).isEqualTo(all.size());
        assertThat(page.rows()).isEqualTo(all.subList(40, 60));
        FleetIndex.Result bare = index.hits(SearchQuery.parse("sort:-version sort:host"), 40, 20);
        assertThat(bare.rows()).isEqualTo(page.rows());
        assertThat(bare.total()).isEqualTo(page.total());
        assertThat(bare.facets()).as("no facet counted").isEmpty();
        // The same question sorted and paged otherwise: its total and facets, counted for the page
        // above, are reused; they and the rows must be what a search of its own finds.
        FleetIndex.Result fresh = search("sort:host sort:-version");
        FleetIndex.Result other = index.search(SearchQuery.parse("sort:host sort:-version"), 30, 20);
        assertThat(other.total()).isEqualTo(fresh.total()).isEqualTo(all.size());
        assertThat(other.rows()).isEqualTo(fresh.rows().subList(30, 50));
        assertThat(other.facets()).isEqualTo(fresh.facets()).isEqualTo(page.facets()).isNotEmpty();
        // Pages further in are sliced from the hits ranked for an earlier page (ranked twice as far
        // each time more are needed), whatever order they are asked in, up to the list's last page.
        assertThat(all.size()).isGreaterThan(720);
        for (int offset : new int[] {100, 300, 50, 700, 10, all.size() - 5, 0, 350}) {
            assertThat(index.search(SearchQuery.parse("sort:-version sort:host"), offset, 20).rows()).as("offset " + offset)
                    .isEqualTo(all.subList(offset, Math.min(all.size(), offset + 20)));
        }
        List<Row> hosts = search("type:host sort:-packages").rows();
        assertThat(hosts).extracting(r -> r.get(IndexField.HOST)).first().isEqualTo("dev1");
    }

    @Test
    void filtersFacetsAndFullText() throws Exception {
        FleetIndex.Result open = search("advisory:DSA-5343-1");
        assertThat(open.rows()).extracting(r -> r.get(IndexField.HOST) + " " + r.get(IndexField.PACKAGE))
                .containsExactlyInAnyOrder("bull-old openssl", "bull-old libssl1.1");
        assertThat(open.rows().get(0).all(IndexField.CVE)).contains("CVE-2023-0286");
        assertThat(search("cve:CVE-2023-0286").total()).isEqualTo(2);
        assertThat(search("type:host advisory:DSA-5343-1").rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("bull-old");

        FleetIndex.Result security = search("state:security-update");
        long expected = evaluations.stream().mapToLong(e -> e.count(org.demi.compliance.evaluation.PackageState.SECURITY_UPDATE)).sum();
        assertThat(security.total()).isEqualTo(expected);
        assertThat(security.facets().get("state")).containsEntry("security-update", expected);
        Map<String, Long> byHost = search("").facets().get("host");
        assertThat(byHost.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(search("").total());
        assertThat(search("").facets().get("group")).containsKeys("legacy", "lab", "web");

        assertThat(search("group:web state:update state:security-update").rows()).allSatisfy(r ->
                assertThat(r.get(IndexField.STATE)).isIn("update", "security-update"));
        // A field with several values per document: the same field twice means both (it used to mean
        // either, so a facet link widened); a comma asks for either. One value per document: either.
        assertThat(search("type:host group:lab group:legacy").total()).isEqualTo(3);
        assertThat(search("type:host group:lab group:web").total()).isZero();
        assertThat(search("type:host group:lab,web").total()).isEqualTo(5);
        assertThat(search("type:host host:dev1 host:min1").total()).isEqualTo(2);
        assertThat(search("type:host host:dev1,min1").total()).isEqualTo(2);
        // A facet link narrows: it adds a value of a multi-valued field, and replaces a single-valued one.
        assertThat(SearchQuery.narrowed("group:lab verdict:compliant", IndexField.GROUP, "legacy"))
                .isEqualTo("group:lab verdict:compliant group:legacy");
        assertThat(SearchQuery.narrowed("group:lab verdict:compliant sort:host", IndexField.VERDICT, "non-compliant"))
                .isEqualTo("group:lab sort:host verdict:non-compliant");
        assertThat(SearchQuery.narrowed("group:lab", IndexField.GROUP, "lab")).isEqualTo("group:lab");
        assertThat(search("package:libssl*").rows()).extracting(r -> r.get(IndexField.PACKAGE)).allMatch(p -> p.startsWith("libssl"));
        assertThat(search("release:bookworm").rows()).extracting(r -> r.get(IndexField.HOST)).containsOnly("dev1", "min1");
        assertThat(search("type:host security_updates:>0").total()).isEqualTo(
                evaluations.stream().filter(e -> e.count(org.demi.compliance.evaluation.PackageState.SECURITY_UPDATE) > 0).count());
        // Full text over names and descriptions.
        assertThat(search("secure sockets").rows()).extracting(r -> r.get(IndexField.PACKAGE)).contains("openssl");
        // Advisories with their CVEs and fixed versions.
        FleetIndex.Result adv = search("type:advisory cve:CVE-2023-0286");
        assertThat(adv.rows()).extracting(r -> r.all(IndexField.ADVISORY)).contains(List.of("DSA-5343-1"));
        assertThat(search("type:advisory advisory:DSA-5343-1").rows().get(0).all(IndexField.FIXED))
                .containsExactly("bullseye openssl 1.1.1n-0+deb11u4");
    }

    @Test
    void aHostsNewEvaluationReplacesAllItsDocumentsAtOnce() throws Exception {
        long before = search("host:bull-old").total();
        HostEvaluation fixed = evaluations.get(0); // bull1's evaluation, as if bull-old had been upgraded
        index.replaceHost(new IndexedHost("bull-old", List.of("lab"), Verdict.COMPLIANT, Optional.empty(), "c-new",
                new HostEvaluation("bull-old", fixed.release(), fixed.support(), fixed.nativeArchitecture(), fixed.packages(),
                        fixed.openAdvisories())));
        assertThat(search("host:bull-old").total()).as("not visible before a refresh").isEqualTo(before);
        index.refresh();
        assertThat(search("host:bull-old advisory:DSA-5343-1").total()).isZero();
        assertThat(search("host:bull-old").total()).isEqualTo(fixed.packages().size());
        Map<String, FleetIndex.Indexed> held = index.indexedHosts();
        assertThat(held).hasSize(5);
        assertThat(held.get("bull-old")).extracting(FleetIndex.Indexed::checksum, FleetIndex.Indexed::verdict, FleetIndex.Indexed::groups)
                .containsExactly("c-new", Verdict.COMPLIANT, List.of("lab"));
        assertThat(held.get("dev1")).extracting(FleetIndex.Indexed::checksum, FleetIndex.Indexed::verdict, FleetIndex.Indexed::groups)
                .containsExactly("c-dev1", Verdict.NON_COMPLIANT, List.of("web"));
        index.removeHost("bull-old");
        index.refresh();
        assertThat(search("host:bull-old").total()).isZero();
        assertThat(search("type:host").total()).isEqualTo(4);
    }

    /**
     * A host judged again into the very documents the index holds (new advisories that do not
     * touch it, another day) is not written again: at 100,000 hosts that write is most of what
     * judging the fleet costs. Documents that differ in one field are written.
     */
    @Test
    void aHostJudgedIntoTheSameDocumentsIsNotWrittenAgain() throws Exception {
        index.refresh();
        Map<String, FleetIndex.Indexed> held = index.indexedHosts();
        FleetIndex.Indexed dev1 = held.get("dev1");
        assertThat(dev1.digest()).matches("[0-9a-f]{64}");
        // bull1 and bull2 have one inventory and one evaluation, but each its own documents.
        assertThat(held.values().stream().map(FleetIndex.Indexed::digest).distinct()).hasSize(5);
        long version = index.version();
        IndexedHost same = indexed.get(3);
        assertThat(same.host()).isEqualTo("dev1");
        assertThat(index.replaceHost(same, Optional.of(dev1))).isSameAs(dev1);
        index.refresh();
        assertThat(index.version()).as("nothing written").isEqualTo(version);

        // Moved to another group: every document of the host differs in one field, and the host is written.
        IndexedHost moved = new IndexedHost("dev1", List.of("web", "dmz"), same.verdict(), same.lastSeen(), same.checksum(),
                same.evaluation().orElseThrow());
        FleetIndex.Indexed now = index.replaceHost(moved, Optional.of(dev1));
        assertThat(now.digest()).isNotEqualTo(dev1.digest());
        assertThat(now).isEqualTo(new FleetIndex.Indexed(dev1.checksum(), dev1.verdict(), List.of("web", "dmz"), now.digest(),
                dev1.lastSeen()));
        index.refresh();
        assertThat(index.version()).isNotEqualTo(version);
        assertThat(index.count(SearchQuery.parse("host:dev1 group:dmz"))).isEqualTo(index.count(SearchQuery.parse("host:dev1")));
        assertThat(index.indexedHosts().get("dev1")).isEqualTo(now);
        // What an older Demi wrote holds no digest: its documents are always written again.
        FleetIndex.Indexed undigested = new FleetIndex.Indexed(now.checksum(), now.verdict(), now.groups(), "", now.lastSeen());
        version = index.version();
        assertThat(index.replaceHost(moved, Optional.of(undigested))).isEqualTo(now);
        index.refresh();
        assertThat(index.version()).isNotEqualTo(version);
    }

    /**
     * A host pushed or collected unchanged an hour later: its documents are the same but for when
     * it was last seen, which changes in place. The host's row, its sort and a filter on it say
     * the new time at once (after a refresh), and its package documents stay as they were.
     */
    @Test
    void whenAHostWasLastSeenChangesInPlace() throws Exception {
        FleetIndex.Indexed dev1 = index.indexedHosts().get("dev1");
        assertThat(dev1.lastSeen()).contains(Instant.parse("2026-11-24T08:00:00Z"));
        long packages = index.count(SearchQuery.parse("host:dev1"));
        long documents = index.documents();
        assertThat(search("type:host last_seen:2026-11-24T08 sort:host").rows()).extracting(r -> r.get(IndexField.HOST))
                .containsExactly("bull-old", "bull1", "bull2", "dev1", "min1");
        assertThat(facet("type:host last_seen:<2026-11-24T09", "verdict")).containsEntry("non-compliant", 5L);
        long version = index.version();

        // Judged again into the same documents, seen an hour later (a clock reads to the microsecond; the index keeps milliseconds).
        IndexedHost same = indexed.get(3);
        Instant later = Instant.parse("2026-11-24T09:00:00.123456Z");
        IndexedHost seen = new IndexedHost("dev1", same.groups(), same.verdict(), Optional.of(later), same.checksum(),
                same.evaluation().orElseThrow());
        FleetIndex.Indexed now = index.replaceHost(seen, Optional.of(dev1));
        assertThat(now.digest()).as("the same documents").isEqualTo(dev1.digest());
        assertThat(now).isEqualTo(dev1.seen(later));
        assertThat(now.lastSeen()).contains(Instant.parse("2026-11-24T09:00:00.123Z"));
        index.refresh();
        assertThat(index.version()).isNotEqualTo(version);
        assertThat(search("host:dev1 type:host").rows().get(0).get(IndexField.LAST_SEEN)).isEqualTo("2026-11-24T09:00:00.123Z");
        assertThat(index.indexedHosts().get("dev1")).isEqualTo(now);
        assertThat(search("type:host last_seen:2026-11-24T09").rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("dev1");
        assertThat(search("type:host sort:-last_seen").rows()).extracting(r -> r.get(IndexField.HOST)).startsWith("dev1");
        // The same question as before the change, its counts not kept from before it.
        assertThat(facet("type:host last_seen:<2026-11-24T09", "verdict")).containsEntry("non-compliant", 4L);
        assertThat(index.count(SearchQuery.parse("host:dev1"))).isEqualTo(packages);
        assertThat(index.documents()).isEqualTo(documents);
        assertThat(search("host:dev1 package:libc6").rows()).singleElement()
                .satisfies(r -> assertThat(r.get(IndexField.VERSION)).isNotEmpty());

        // Told directly, as the indexer does for a host whose state still stands.
        index.seen("min1", Instant.parse("2026-12-01T10:00:00Z"));
        index.refresh();
        assertThat(search("type:host last_seen:>=2026-12 sort:host").rows()).extracting(r -> r.get(IndexField.HOST))
                .containsExactly("min1");
        assertThat(search("type:host last_seen:<=2026-11-24T08:59:59 sort:host").rows()).extracting(r -> r.get(IndexField.HOST))
                .containsExactly("bull-old", "bull1", "bull2");
        assertThat(index.count(SearchQuery.parse("type:host last_seen:never"))).isZero();
        assertThat(index.count(SearchQuery.parse("host:min1"))).as("the package documents stay").isGreaterThan(100);
    }

    /** A host never collected has no last_seen: empty in its row, first in time, matched by never and by any before. */
    @Test
    void aHostNeverSeenIsBeforeEveryMoment() throws Exception {
        index.replaceHost(new IndexedHost("new1", List.of("web"), Verdict.NEVER_COLLECTED, Optional.empty(), "", Optional.empty(),
                "never collected", org.demi.compliance.fleet.CveTimeline.NONE, List.of()));
        index.refresh();
        assertThat(search("type:host last_seen:never").rows()).singleElement()
                .satisfies(r -> assertThat(r.get(IndexField.LAST_SEEN)).isEmpty());
        assertThat(search("type:host last_seen:<2000 sort:host").rows()).extracting(r -> r.get(IndexField.HOST)).containsExactly("new1");
        assertThat(search("type:host sort:last_seen").rows().get(0).get(IndexField.HOST)).isEqualTo("new1");
        assertThat(index.count(SearchQuery.parse("type:host last_seen:>2000"))).isEqualTo(5);
    }

    Map<String, Long> facet(String q, String dim) throws Exception {
        return index.search(SearchQuery.parse(q), 0, 10).facets().getOrDefault(dim, Map.of());
    }

    @Test
    void badQueriesSayWhatIsWrong() {
        assertThatThrownBy(() -> SearchQuery.parse("colour:red")).hasMessageStartingWith("unknown field 'colour' (fields: ");
        assertThatThrownBy(() -> SearchQuery.parse("sort:group")).hasMessageContaining("several values");
        assertThatThrownBy(() -> SearchQuery.parse("version:<<1:")).hasMessageContaining("version");
        // What dpkg only warns about is refused in a query, as `version compare` refuses it: it used to match 838 rows.
        assertThatThrownBy(() -> SearchQuery.parse("version:<<abc"))
                .hasMessage("version: version 'abc' has bad syntax: version number does not start with digit");
        assertThatThrownBy(() -> SearchQuery.parse("packages:>many")).hasMessageContaining("wants a number");
        assertThatThrownBy(() -> SearchQuery.parse("type:host last_seen:yesterday"))
                .hasMessageStartingWith("last_seen wants a moment in UTC").hasMessageEndingWith("not 'yesterday'");
        assertThatThrownBy(() -> SearchQuery.parse("type:host last_seen:2026-13")).hasMessageStartingWith("last_seen: '2026-13' is no moment");
        assertThatThrownBy(() -> SearchQuery.parse("type:host last_seen:<never")).hasMessageContaining("never is no moment to compare with");
        assertThatThrownBy(() -> SearchQuery.parse("type:cars")).hasMessageContaining("type is package, host, advisory or cve");
        assertThatThrownBy(() -> SearchQuery.parse("\"open")).hasMessageContaining("not closed");
        // Words the analyser keeps nothing of used to ask for nothing, and so listed every document.
        assertThatThrownBy(() -> SearchQuery.parse("-- *")).hasMessage("'-- *' has no letter or digit to search for");
        assertThatThrownBy(() -> SearchQuery.parse("type:host group:dmz ...")).hasMessage("'...' has no letter or digit to search for");
    }

    @Test
    void aValueOutsideDemisOwnWordsIsRefusedWithTheWordsThereAre() throws Exception {
        // state:updates used to list nothing, as if no package had an update.
        assertThatThrownBy(() -> SearchQuery.parse("state:updates")).isInstanceOf(org.demi.deb.BadInputException.class).hasMessage(
                "state is current, update, security-update, not-in-archive, newer-than-archive or fix-not-in-mirror, not 'updates'");
        assertThatThrownBy(() -> SearchQuery.parse("type:host verdict:ok")).hasMessageStartingWith("verdict is compliant, non-compliant, ")
                .hasMessageEndingWith(" or unreachable, not 'ok'");
        assertThatThrownBy(() -> SearchQuery.parse("type:cve urgency:critical"))
                .hasMessageStartingWith("urgency is high, medium, low, not-yet-assigned, ");
        assertThatThrownBy(() -> SearchQuery.parse("type:cve cve_state:open")).hasMessageStartingWith("cve_state is fix-available, ");
        assertThatThrownBy(() -> SearchQuery.parse("type:host reboot_required:true")).hasMessage("reboot_required is yes or no, not 'true'");
        assertThatThrownBy(() -> SearchQuery.parse("type:host support:eol")).hasMessageStartingWith("support is supported, lts, ended, ");
        assertThatThrownBy(() -> SearchQuery.parse("support_limit:over")).hasMessage("support_limit is ended, ending or limited, not 'over'");
        // Each of several values is checked; a prefix must begin one of the words; the words are as the index holds them.
        assertThatThrownBy(() -> SearchQuery.parse("state:update,securityupdate")).hasMessageEndingWith("not 'securityupdate'");
        assertThatThrownBy(() -> SearchQuery.parse("state:sec_*")).hasMessageEndingWith("not 'sec_*'");
        assertThatThrownBy(() -> SearchQuery.parse("state:Update")).hasMessageEndingWith("not 'Update'");
        // Fields whose values come from elsewhere take any value: a package or a tracker's scope no document has finds nothing.
        assertThat(index.count(SearchQuery.parse("package:nosuchpackage"))).isZero();
        assertThat(index.count(SearchQuery.parse("type:cve scope:nearby"))).isZero();

        // Every word the documents hold is accepted and finds them: the words and the documents agree.
        Map<String, Long> states = facet("type:package", "state");
        assertThat(states).containsKeys("current", "security-update");
        for (Map.Entry<String, Long> s : states.entrySet()) {
            assertThat(index.count(SearchQuery.parse("state:" + s.getKey()))).as(s.getKey()).isEqualTo(s.getValue());
        }
        Map<String, Long> verdicts = index.search(SearchQuery.parse("type:host"), 0, 10).facets().get("verdict");
        assertThat(verdicts).isNotEmpty();
        for (Map.Entry<String, Long> v : verdicts.entrySet()) {
            assertThat(index.count(SearchQuery.parse("type:host verdict:" + v.getKey()))).as(v.getKey()).isEqualTo(v.getValue());
        }
        assertThat(index.count(SearchQuery.parse("state:security*"))).isEqualTo(states.get("security-update"));
        assertThat(index.count(SearchQuery.parse("type:host reboot_required:yes,no"))).isEqualTo(5);
    }

    @Test
    void aSortIsByTheFieldWhateverTheCaseOfItsName() throws Exception {
        // sort:-Version used to sort by a field named so, which no document has: the rows came in the index's order.
        List<String> byName = search("package:openssl sort:-version").rows().stream().map(r -> r.get(IndexField.VERSION)).toList();
        assertThat(byName).hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Version.parse(b).compareTo(Version.parse(a)));
        assertThat(search("package:openssl sort:-Version").rows().stream().map(r -> r.get(IndexField.VERSION)).toList()).isEqualTo(byName);
        assertThat(search("type:host sort:-HOST").rows().get(0).get(IndexField.HOST)).isEqualTo("min1");
        assertThatThrownBy(() -> SearchQuery.parse("sort:colour")).hasMessageStartingWith("unknown field 'colour'");
    }

    @Test
    void punctuationBesideAWordIsDroppedAsTheIndexDropsIt() throws Exception {
        // "bash -" asks for bash's word alone, as the text "GNU Bourne Again SHell - ..." was indexed without its dash.
        assertThat(index.count(SearchQuery.parse("bash -"))).isEqualTo(index.count(SearchQuery.parse("bash"))).isPositive();
    }
}
