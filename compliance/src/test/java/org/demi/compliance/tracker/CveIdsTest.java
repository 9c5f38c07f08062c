package org.demi.compliance.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CveIdsTest {
    /**
     * MITRE's ids by year, then by number as a number (five digits after four); whatever is not
     * one (the tracker's TEMP- ids, a number of three or ten digits, lower case, a letter in the
     * year) comes first, by its text.
     */
    @Test
    void idsSortByYearThenNumberAndOthersBefore() {
        List<String> expected = List.of("CVE-2024-123", "CVE-2024-1234567890", "CVE-20a4-1234", "TEMP-0000000-1A2B3C", "cve-2024-1234",
                "CVE-2014-0160", "CVE-2023-9999", "CVE-2024-0001", "CVE-2024-6387", "CVE-2024-10000", "CVE-2024-123456789", "CVE-2025-0001");
        for (long seed = 0; seed < 5; seed++) {
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(shuffled.stream().sorted(CveIds.ORDER).toList()).isEqualTo(expected);
        }
        assertThat(expected.stream().filter(CveIds::isCve).toList()).isEqualTo(expected.subList(5, expected.size()));
    }
}
