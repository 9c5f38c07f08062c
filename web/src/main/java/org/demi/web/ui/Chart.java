package org.demi.web.ui;

import java.util.ArrayList;
import java.util.List;
import org.demi.web.compliance.ExposureHistory;

/**
 * A bar chart drawn as inline SVG by the template (no script, so the Content-Security-Policy
 * stays closed): each bar's geometry is worked out here, on a 1000 × 200 canvas.
 */
public record Chart(String caption, List<Bar> bars, long max, String from, String to) {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 200;

    /** One bar: where it stands, and what hovering over it says. */
    public record Bar(double x, double y, double width, double height, String title) {
    }

    public Chart {
        bars = List.copyOf(bars);
    }

    /** Open advisories per day, from the hosts' inventory histories. */
    public static Chart exposure(List<ExposureHistory.Point> points) {
        if (points.isEmpty()) {
            return null;
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
                points.get(0).day().toString(), points.get(points.size() - 1).day().toString());
    }
}
