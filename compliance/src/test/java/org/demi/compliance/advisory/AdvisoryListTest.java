package org.demi.compliance.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Random;
import org.demi.deb.Fixtures;
import org.demi.deb.version.Version;
import org.junit.jupiter.api.Test;

class AdvisoryListTest {
    @Test
    void everyAdvisoryOfTheRealListsIsRead() throws Exception {
        // One heading per advisory: 5,406 lines of DSA-list and 3,534 of DLA-list start with '['.
        AdvisoryList dsa = AdvisoryList.parse(Files.readAllBytes(Fixtures.path("tracker/DSA-list")), "DSA-list");
        AdvisoryList dla = AdvisoryList.parse(Files.readAllBytes(Fixtures.path("tracker/DLA-list")), "DLA-list");
        assertThat(dsa.advisories()).hasSize(5406);
        assertThat(dla.advisories()).hasSize(3534);
        assertThat(dla.problems()).isEmpty();
        // The one line the 2004 list got wrong (a package name where the version belongs) is named, not swallowed.
        assertThat(dsa.problems()).singleElement().hasToString(
                "DSA-list:17244: DSA-423: kernel-image-2.4.17-ia64: version 'kernel-image-2.4.17-ia64' has bad syntax: "
                        + "version number does not start with digit");

        Advisory openssl = dsa.advisories().stream().filter(a -> a.id().equals("DSA-5343-1")).findFirst().orElseThrow();
        assertThat(openssl.date()).isEqualTo(LocalDate.of(2023, 2, 7));
        assertThat(openssl.source()).isEqualTo("openssl");
        assertThat(openssl.description()).isEqualTo("security update");
        assertThat(openssl.cves()).containsExactly("CVE-2022-2097", "CVE-2022-4304", "CVE-2022-4450", "CVE-2023-0215",
                "CVE-2023-0286");
        assertThat(openssl.fixFor("bullseye", "openssl")).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(FixKind.FIXED);
            assertThat(f.fixedVersion()).isEqualTo(Version.parse("1.1.1n-0+deb11u4"));
        });

        Advisory office = dsa.advisories().stream().filter(a -> a.id().equals("DSA-2275-1")).findFirst().orElseThrow();
        assertThat(office.fixFor("lenny", "openoffice.org")).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(FixKind.NOT_AFFECTED);
            assertThat(f.note()).isEqualTo("Vulnerable code not present");
        });
        assertThat(office.fixFor("squeeze", "openoffice.org").orElseThrow().fixedVersion())
                .isEqualTo(Version.parse("1:3.2.1-11+squeeze3"));
        // Markers in NOTE lines are prose, not fixes.
        Advisory glibc = dsa.advisories().stream().filter(a -> a.id().equals("DSA-1605-1")).findFirst().orElseThrow();
        assertThat(glibc.fixes()).isEmpty();
        assertThat(glibc.cves()).containsExactly("CVE-2008-1447");
    }

    @Test
    void markersSeveralSourcesAndOddSpacing() {
        AdvisoryList l = AdvisoryList.parse("""
                [03 Jan 2025] DLA-4001-1 foo - security update
                \t{CVE-2024-1 CVE-2024-2}
                \t[bookworm] - foo  1.2-3+deb12u1
                \t[bookworm] - libfoo-extra 0.9-1+deb12u1 (built from a second source)
                \t[bullseye] - foo <unfixed>
                \t[buster] - foo <end-of-life> (support ended)
                \t[trixie] - foo <no-dsa> (Minor issue)
                \t[sid] - foo <not-affected>
                [04 Jan 2025] DSA-6000-1 bar - denial of service\r
                \t{}\r
                \t[bookworm] - bar 2:1.0-1\r
                """, "list");
        assertThat(l.problems()).isEmpty();
        Advisory foo = l.advisories().get(0);
        assertThat(foo.fixesFor("bookworm")).extracting(ReleaseFix::source).containsExactly("foo", "libfoo-extra");
        assertThat(foo.fixFor("bookworm", "foo").orElseThrow().fixedVersion()).isEqualTo(Version.parse("1.2-3+deb12u1"));
        assertThat(foo.fixFor("bullseye", "foo").orElseThrow().kind()).isEqualTo(FixKind.UNFIXED);
        assertThat(foo.fixFor("buster", "foo").orElseThrow().kind()).isEqualTo(FixKind.END_OF_LIFE);
        assertThat(foo.fixFor("trixie", "foo").orElseThrow().kind()).isEqualTo(FixKind.NO_DSA);
        assertThat(foo.fixFor("sid", "foo").orElseThrow().kind()).isEqualTo(FixKind.NOT_AFFECTED);
        Advisory bar = l.advisories().get(1);
        assertThat(bar.cves()).isEmpty();
        assertThat(bar.fixFor("bookworm", "bar").orElseThrow().fixedVersion()).isEqualTo(Version.parse("2:1.0-1"));
    }

    @Test
    void badLinesAreNamedAndTheRestStillCounts() {
        AdvisoryList l = AdvisoryList.parse("""
                \t[bookworm] - orphan 1.0
                [32 Foo 2025] DSA-1-1 x - y
                [05 Jan 2025] DSA-6001-1 baz - security update
                \t[bookworm] - baz <fixed-later>
                \tsomething else
                \t[bookworm] - baz 1.0-1
                not a heading
                """, "mine");
        assertThat(l.advisories()).extracting(Advisory::id).containsExactly("DSA-6001-1");
        assertThat(l.advisories().get(0).fixes()).hasSize(1);
        assertThat(l.problems()).extracting(Object::toString).containsExactly(
                "mine:1: an indented line outside any advisory: [bookworm] - orphan 1.0",
                "mine:2: not a date: 32 Foo 2025",
                "mine:4: DSA-6001-1: unknown marker <fixed-later>",
                "mine:5: DSA-6001-1: not a {CVE} list, fix or NOTE: something else",
                "mine:7: not an advisory heading: not a heading");
    }

    @Test
    void randomAndTruncatedInputNeverThrows() throws Exception {
        byte[] real = Files.readAllBytes(Fixtures.path("tracker/DLA-list"));
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] b = java.util.Arrays.copyOf(real, random.nextInt(4000));
            for (int j = 0; j < 5 && b.length > 0; j++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            AdvisoryList.parse(b, "fuzz");
        }
        assertThatThrownBy(() -> AdvisoryList.parse(new byte[AdvisoryList.MAX_BYTES + 1], "huge"))
                .hasMessageContaining("huge").hasMessageContaining("more than");
    }
}
