package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.demi.compliance.fleet.ExposureHistory;
import org.junit.jupiter.api.Test;

/**
 * The overview's charts: a plot once there are two days of history, and a sentence with today's
 * figure before; the open CVEs stacked by urgency.
 */
class ChartTest {
    static List<ExposureHistory.Point> days(int withHosts) {
        List<ExposureHistory.Point> out = new ArrayList<>();
        LocalDate first = LocalDate.of(2026, 11, 2);
        for (int i = 0; i < 30; i++) {
            boolean kept = i >= 30 - withHosts;
            out.add(new ExposureHistory.Point(first.plusDays(i), kept ? i % 3 : 0, kept ? 1 : 0, kept ? 3 : 0));
        }
        return out;
    }

    @Test
    void twoDaysOfHistoryMakeAPlotOneDayASentence() {
        Chart plot = Chart.exposure(days(2));
        assertThat(plot.note()).isNull();
        assertThat(plot.bars()).hasSize(30);
        assertThat(plot.bars().get(29).title()).isEqualTo("2026-12-01: 2 advisories open on 1 of 3 hosts");
        assertThat(plot.max()).isEqualTo(2);

        Chart one = Chart.exposure(days(1));
        assertThat(one.bars()).isEmpty();
        assertThat(one.note()).isEqualTo("History has been kept since 2026-12-01, less than two days: a chart needs more. "
                + "Today 2 advisories are open on 1 of 3 hosts.");
        assertThat(Chart.exposure(days(0)).note()).startsWith("No host has sent an inventory yet");
    }

    @Test
    void openCvesStackByUrgencyTheMostUrgentAtTheBottom() {
        LocalDate first = LocalDate.of(2026, 11, 30);
        List<ExposureHistory.Point> points = List.of(
                new ExposureHistory.Point(first, 0, 1, 2, java.util.Map.of(org.demi.compliance.tracker.Urgency.LOW, 2)),
                new ExposureHistory.Point(first.plusDays(1), 0, 1, 2, java.util.Map.of(org.demi.compliance.tracker.Urgency.HIGH, 1,
                        org.demi.compliance.tracker.Urgency.LOW, 3)));
        Chart c = Chart.cves(points);
        assertThat(c.max()).isEqualTo(4);
        // Day two: high from the bottom (y 150..200), low above it (y 0..150).
        List<Chart.Bar> two = c.bars().subList(1, 3);
        assertThat(two).extracting(Chart.Bar::kind).containsExactly("high", "low");
        assertThat(two.get(0).y()).isEqualTo(150.0);
        assertThat(two.get(0).height()).isEqualTo(50.0);
        assertThat(two.get(1).y()).isEqualTo(0.0);
        assertThat(two.get(1).title()).isEqualTo("2026-12-01: 3 low CVEs open");
        // No CVE data: no chart of them.
        assertThat(Chart.cves(days(5))).isNull();
    }
}
