package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A cell's time is told "how long ago"; anything else in a cell, however close to a time, is not. */
class LinksTest {
    @Test
    void onlyATimeIsToldHowLongAgo() {
        assertThat(Links.ago(Instant.now().minusSeconds(7200).toString())).isEqualTo("(2 h ago)");
        assertThat(Links.ago("2026-12-01T04:00:00Z")).endsWith(" ago)");
        assertThat(Links.ago("2026-12-01T04:00:00.5Z")).endsWith(" ago)");
        for (String notATime : new String[] {"", "Z", "bookworm", "2026-12-01", "2026-12-01T04:00:00", "2026-12-01 04:00:00Z",
                "2026-12-01T04:00Z", "x2026-12-01T04:00:00Z", "1:2.3.4-5+deb12u1", "CVE-2026-12345"}) {
            assertThat(Links.ago(notATime)).as(notATime).isNull();
        }
    }

    /** A cell's items each carry their page, their size or their age, worked out once; a value with a page is not read as a size. */
    @Test
    void aCellsItemsCarryTheirLinkSizeAndAge() {
        assertThat(Links.cell("host", java.util.List.of("web 1", "db"))).containsExactly(
                new Links.Item("web 1", "/hosts/web%201", null, null), new Links.Item("db", "/hosts/db", null, null));
        assertThat(Links.cell("index_bytes", 3_145_728L)).containsExactly(new Links.Item("3145728", null, "3.0 MiB", null));
        assertThat(Links.cell("last_seen", "2026-12-01T04:00:00Z")).singleElement()
                .satisfies(i -> assertThat(i.ago()).endsWith(" ago)")).satisfies(i -> assertThat(i.href()).isNull());
        assertThat(Links.cell("release", "")).isEmpty();
        assertThat(Links.cell("release", null)).isEmpty();
    }

    /** A list's items are its values as text, in order, blanks kept; the list handed back cannot be changed. */
    @Test
    void aListsItemsAreItsValuesAsText() {
        java.util.List<String> items = Links.items(java.util.Arrays.asList("DSA-5500-1", 42L, "", null));
        assertThat(items).containsExactly("DSA-5500-1", "42", "", "null");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> items.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Links.items(java.util.List.of())).isEmpty();
        assertThat(Links.items(7)).containsExactly("7");
    }
}
