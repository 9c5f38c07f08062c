package org.demi.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.demi.index.FleetIndex;
import org.demi.index.IndexedHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hosts the alert rule calls for someone about: unreachable, and not seen for a day or never. */
class FleetGaugesTest {
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00.500Z");

    @TempDir
    Path tmp;

    @Test
    void unreachableForADayAreTheUnreachableNotSeenSinceADayAgoOrNever() throws Exception {
        try (FleetIndex index = FleetIndex.open(tmp.resolve("index"))) {
            host(index, "old", Verdict.UNREACHABLE, Optional.of(NOW.minusSeconds(86_400 * 3)));
            host(index, "never", Verdict.UNREACHABLE, Optional.empty());
            // seen a day ago to the millisecond: not before the day's start, so not yet
            host(index, "just", Verdict.UNREACHABLE, Optional.of(NOW.minusSeconds(86_400)));
            // a millisecond more: a day and a bit
            host(index, "past", Verdict.UNREACHABLE, Optional.of(NOW.minusSeconds(86_400).minusMillis(1)));
            host(index, "recent", Verdict.UNREACHABLE, Optional.of(NOW.minusSeconds(3_600)));
            host(index, "quiet", Verdict.COMPLIANT, Optional.of(NOW.minusSeconds(86_400 * 3)));
            index.refresh();
            FleetGauges gauges = new FleetGauges(index, List::of, null, Clock.fixed(NOW, ZoneOffset.UTC));
            assertThat(gauges.unreachableForADay()).isEqualTo(3); // old, never, past
        }
    }

    static void host(FleetIndex index, String name, Verdict verdict, Optional<Instant> seen) throws Exception {
        index.replaceHost(new IndexedHost(name, List.of(), verdict, seen, "c", Optional.empty(), "", CveTimeline.NONE, List.of()));
    }
}
