package org.demi.web.ui;

import java.util.ArrayList;
import java.util.List;
import org.demi.compliance.fleet.ExposureHistory;

/**
 * A bar chart drawn as inline SVG by the template (no script, so the Content-Security-Policy
 * stays closed): each bar's geometry is worked out here, on a 1000 × 200 canvas. With too
 * little history for a plot, {@code note} says so and gives today's figure instead.
 */
public record Chart(String caption, List<Bar> bars, long max, String from, String to, String note) {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 200;

    /**
     * One bar (or one segment of a stacked bar): where it stands, what hovering over it says,
     * and its kind, which the style sheet colours ({@code high}, ...; empty for a plain bar).
     */
    public record Bar(double x, double y, double width, double height, String title, String kind) {
        public Bar(double x, double y, double width, double height, String title) {
            this(x, y, width, height, title, "");
        }
    }

    public Chart {
        bars = List.copyOf(bars);
    }

    /** Open advisories per day, from the hosts' inventory histories. */
    public static Chart exposure(List<ExposureHistory.Point> points) {
        if (points.isEmpty()) {
            return null;
        }
        List<ExposureHistory.Point> kept = points.stream().filter(p -> p.hosts() > 0).toList();
        if (kept.size() < 2) {
            ExposureHistory.Point today = points.get(points.size() - 1);
            return new Chart("Open advisories", List.of(), 0, today.day().toString(), today.day().toString(), kept.isEmpty()
                    ? "No host has sent an inventory yet: the chart starts with the first."
                    : "History has been kept since " + kept.get(0).day() + ", less than two days: a chart needs more. Today "
                            + today.openAdvisories() + " advisories are open on " + today.exposedHosts() + " of " + today.hosts()
                            + " hosts.");
        }
        long max = Math.max(1, points.stream().mapToLong(ExposureHistory.Point::openAdvisories).max().orElse(1));
        double w = (double) WIDTH / points.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            ExposureHistory.Point p = points.get(i);
            double h = (double) HEIGHT * p.openAdvisories() / max;
            bars.add(new Bar(i * w, HEIGHT - h, Math.max(1, w - 1), h, p.day() + ": " + p.openAdvisories()
                    + " advisories open on " + p.exposedHosts() + " of " + p.hosts() + " hosts"));
        }
        return new Chart("Open advisories over the last " + points.size() + " days", bars, max,
                points.get(0).day().toString(), points.get(points.size() - 1).day().toString(), null);
    }

    /**
     * Open CVEs per day, stacked by urgency (the most urgent at the bottom), counting each CVE
     * from the day the server first saw it in a feed; null when no day has one.
     */
    public static Chart cves(List<ExposureHistory.Point> points) {
        List<ExposureHistory.Point> kept = points.stream().filter(p -> p.hosts() > 0).toList();
        if (kept.size() < 2 || kept.stream().allMatch(p -> p.openCves().isEmpty())) {
            return null; // the advisories' chart already says how little history there is
        }
        long max = Math.max(1, points.stream().mapToLong(p -> p.openCves().values().stream().mapToLong(Integer::longValue).sum())
                .max().orElse(1));
        double w = (double) WIDTH / points.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            ExposureHistory.Point p = points.get(i);
            double y = HEIGHT;
            for (org.demi.compliance.tracker.Urgency u : org.demi.compliance.tracker.Urgency.values()) {
                int n = p.openCves().getOrDefault(u, 0);
                if (n == 0) {
                    continue;
                }
                double h = (double) HEIGHT * n / max;
                y -= h;
                bars.add(new Bar(i * w, y, Math.max(1, w - 1), h, p.day() + ": " + n + " " + u.label() + " CVEs open", u.term()));
            }
        }
        return new Chart("Open CVEs over the last " + points.size() + " days, by urgency (high at the bottom)", bars, max,
                points.get(0).day().toString(), points.get(points.size() - 1).day().toString(), null);
    }
}
