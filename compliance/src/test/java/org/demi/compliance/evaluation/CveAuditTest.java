package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.inventory.StatusFile;
import org.demi.compliance.tracker.TrackerData;
import org.demi.compliance.tracker.TrackerJson;
import org.demi.compliance.tracker.Urgency;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each CVE state reasoned case by case on the real bookworm-minbase host, against Debian's real
 * bookworm and bookworm-security indices, with tracker data written in the tracker's own JSON
 * format. What the host has (from its status file) and what the mirror offers (from the signed
 * indices), as the cases need them:
 * <pre>
 * source      installed source        its binaries on the host                  mirror's newest source
 * openssl     3.0.20-1~deb12u2        libssl3, openssl                          3.0.22-1~deb12u2 (security)
 * util-linux  2.38.1-5+deb12u3        bsdutils 1:2.38.1-5+deb12u3 (epoch), ...  2.38.1-5+deb12u3
 * bash        5.2.15-2                bash 5.2.15-2+b13 (a binNMU)              5.2.15-2
 * zlib        1:1.2.13.dfsg-1         zlib1g                                    1:1.2.13.dfsg-1
 * perl        5.36.0-7+deb12u3        perl, perl-base, libperl5.36              5.36.0-7+deb12u4 (security)
 * </pre>
 */
class CveAuditTest {
    static final String TRACKER = """
            {
              "openssl": {
                "CVE-2026-1001": {"scope": "remote", "description": "fixed in the mirror's security suite",
                  "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.22-1~deb12u1", "urgency": "high**",
                                            "repositories": {"bookworm-security": "3.0.22-1~deb12u2"}}}},
                "CVE-2026-1002": {"scope": "remote", "description": "fixed by a version the mirror does not have yet",
                  "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.23-1~deb12u1", "urgency": "medium"}}}
              },
              "gnutls28": {
                "CVE-2026-1001": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}}
              },
              "util-linux": {
                "CVE-2026-1003": {"scope": "local",
                  "releases": {"bookworm": {"status": "resolved", "fixed_version": "2.38.1-5+deb12u4", "urgency": "low"}}}
              },
              "bash": {
                "CVE-2026-1004": {"scope": "local",
                  "releases": {"bookworm": {"status": "resolved", "fixed_version": "5.2.15-2", "urgency": "medium"}}}
              },
              "zlib": {
                "CVE-2026-1005": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}},
                "CVE-2026-1006": {"releases": {"bullseye": {"status": "resolved", "fixed_version": "1:1.2.11.dfsg-2+deb11u3",
                                                            "urgency": "high"}}}
              },
              "perl": {
                "CVE-2026-1007": {"scope": "local",
                  "releases": {"bookworm": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed"}}},
                "TEMP-0000000-A1B2C3": {"releases": {"bookworm": {"status": "open", "urgency": "unimportant"}}},
                "CVE-2026-1008": {"releases": {"bookworm": {"status": "undetermined", "urgency": "not yet assigned"}}}
              }
            }
            """;
    static final String DSA = """
            [20 Nov 2026] DSA-9001-1 openssl - security update
            \t{CVE-2026-1001}
            \t[bookworm] - openssl 3.0.22-1~deb12u1
            """;

    static Evaluator evaluator;
    static OsRelease os;
    static String status;

    @BeforeAll
    static void load() throws Exception {
        evaluator = bookworm(TRACKER, DSA);
        os = OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/os-release")));
        status = Files.readString(Fixtures.path("hosts/bookworm-minbase/status"));
    }

    /** An evaluator of bookworm hosts by the real bookworm and bookworm-security indices, with this tracker data and DSA list. */
    static Evaluator bookworm(String trackerJson, String dsaList) throws Exception {
        ReleaseArchive.Builder archive = ReleaseArchive.builder("bookworm");
        for (String suite : List.of("bookworm", "bookworm-security")) {
            archive.addPackages(new ByteArrayInputStream(Fixtures.plain("archive/" + suite + "/main/binary-amd64/Packages.xz")),
                    suite + "/Packages", suite, suite.endsWith("-security"));
        }
        TrackerData tracker = TrackerJson.parse(new ByteArrayInputStream(trackerJson.getBytes(StandardCharsets.UTF_8)), "tracker.json");
        AdvisoryIndex advisories = new AdvisoryIndex(AdvisoryList.parse(dsaList.getBytes(StandardCharsets.UTF_8), "DSA-list").advisories());
        return new Evaluator(Map.of("bookworm", archive.build()), advisories, tracker, ReleaseCalendar.NONE, LocalDate.of(2026, 12, 1));
    }

    static HostEvaluation evaluate(String text) {
        return evaluator.evaluate("h", os, StatusFile.parse(text.getBytes(StandardCharsets.UTF_8), "status"));
    }

    static HostCve cve(HostEvaluation e, String id, String source) {
        return e.allCves().filter(c -> c.id().equals(id) && c.source().equals(source)).findFirst().orElseThrow();
    }

    @Test
    void aFixInTheMirrorIsAvailableWithItsUrgencyScopeAndAdvisory() {
        HostCve c = cve(evaluate(status), "CVE-2026-1001", "openssl");
        // 3.0.20-1~deb12u2 < 3.0.22-1~deb12u1 <= the mirror's 3.0.22-1~deb12u2, for both binaries.
        assertThat(c.state()).isEqualTo(CveState.FIX_AVAILABLE);
        assertThat(c.binaries()).containsExactly("libssl3:amd64", "openssl:amd64");
        assertThat(c.tracker().urgency()).isEqualTo(Urgency.HIGH);
        assertThat(c.tracker().fromNvd()).as("high** came from NVD").isTrue();
        assertThat(c.scope()).isEqualTo("remote");
        assertThat(c.advisories()).containsExactly("DSA-9001-1");
    }

    @Test
    void aFixTheMirrorLacksIsMirrorLag() {
        // The tracker's fix, 3.0.23-1~deb12u1, is beyond the mirror's newest 3.0.22-1~deb12u2.
        assertThat(cve(evaluate(status), "CVE-2026-1002", "openssl").state()).isEqualTo(CveState.FIX_NOT_IN_MIRROR);
    }

    @Test
    void anEpochOnTheBinaryButNotTheSourceDoesNotHideTheFlaw() {
        // bsdutils 1:2.38.1-5+deb12u3 is above 2.38.1-5+deb12u4 by its epoch alone; its source,
        // util-linux 2.38.1-5+deb12u3, is below. The mirror has nothing newer.
        HostCve c = cve(evaluate(status), "CVE-2026-1003", "util-linux");
        assertThat(c.state()).isEqualTo(CveState.FIX_NOT_IN_MIRROR);
        assertThat(c.binaries()).contains("bsdutils:amd64", "libblkid1:amd64");
        assertThat(c.installedSourceVersion().toString()).isEqualTo("2.38.1-5+deb12u3");
    }

    @Test
    void aBinNmuAtExactlyTheFixedSourceVersionIsFixed() {
        // bash 5.2.15-2+b13 is a rebuild of source 5.2.15-2, the fixed version itself.
        HostCve c = cve(evaluate(status), "CVE-2026-1004", "bash");
        assertThat(c.state()).isEqualTo(CveState.FIXED);
        assertThat(c.installedSourceVersion().toString()).isEqualTo("5.2.15-2");
        assertThat(evaluate(status).openCves()).noneMatch(o -> o.id().equals("CVE-2026-1004"));
    }

    @Test
    void fixedVersionZeroIsNotAffectedAndAnotherReleasesCveIsNotListed() {
        HostEvaluation e = evaluate(status);
        assertThat(cve(e, "CVE-2026-1005", "zlib").state()).isEqualTo(CveState.NOT_AFFECTED);
        assertThat(e.allCves()).noneMatch(c -> c.id().equals("CVE-2026-1006"));
    }

    @Test
    void openEntriesKeepTheirReasonAndTempIdsCount() {
        HostEvaluation e = evaluate(status);
        HostCve postponed = cve(e, "CVE-2026-1007", "perl");
        assertThat(postponed.state()).isEqualTo(CveState.NO_FIX);
        assertThat(postponed.tracker().noDsa()).isEqualTo("Minor issue");
        assertThat(postponed.tracker().noDsaReason()).isEqualTo("postponed");
        assertThat(postponed.binaries()).contains("perl:amd64", "perl-base:amd64");
        assertThat(cve(e, "TEMP-0000000-A1B2C3", "perl").state()).isEqualTo(CveState.NO_FIX);
        assertThat(cve(e, "CVE-2026-1008", "perl").state()).isEqualTo(CveState.UNDETERMINED);
    }

    @Test
    void countsAreByCveIdInItsWorstState() {
        // CVE-2026-1001 is fix-available through openssl and not-affected through gnutls28: it
        // counts once, as fix-available.
        Map<CveState, Integer> counts = evaluate(status).cveCounts();
        assertThat(counts).containsEntry(CveState.FIX_AVAILABLE, 1).containsEntry(CveState.FIX_NOT_IN_MIRROR, 2)
                .containsEntry(CveState.NO_FIX, 2).containsEntry(CveState.UNDETERMINED, 1).containsEntry(CveState.FIXED, 1)
                .containsEntry(CveState.NOT_AFFECTED, 1);
        // The open ones by concern: fix available first, then by urgency within a state.
        assertThat(evaluate(status).openCves()).extracting(HostCve::id).containsExactly("CVE-2026-1001", "CVE-2026-1002",
                "CVE-2026-1003", "CVE-2026-1007", "TEMP-0000000-A1B2C3", "CVE-2026-1008");
    }

    @Test
    void aSourceSplitAcrossHostsIsJudgedByEachHostsOwnBinaries() {
        // Host two has libssl3 without the openssl program: still open through the library.
        String libraryOnly = status.replaceFirst("(?s)\n\nPackage: openssl\n.*?(?=\n\n)", "");
        assertThat(libraryOnly).isNotEqualTo(status);
        HostCve c = cve(evaluate(libraryOnly), "CVE-2026-1001", "openssl");
        assertThat(c.state()).isEqualTo(CveState.FIX_AVAILABLE);
        assertThat(c.binaries()).containsExactly("libssl3:amd64");
        // Hosts with the same binaries at the same versions share one judgement (the same object).
        List<CveFindings> one = evaluate(status).cveFindings();
        List<CveFindings> two = evaluate(status).cveFindings();
        assertThat(one).hasSameSizeAs(two).isNotEmpty();
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).isSameAs(one.get(i));
        }
    }
}
