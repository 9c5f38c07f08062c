package org.demi.web.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/**
 * What {@code demi serve} counts as it runs (pages answered, pushes, collections), the JVM's
 * own figures, and the figures read at each scrape ({@link FleetGauges}): the registry that
 * {@code /metrics} is written from. One per server, not Prometheus' global default, so that
 * servers in one JVM (the tests) count apart.
 */
public final class Metrics {
    /** Seconds: from a cached page's milliseconds to a cold export's many seconds. */
    private static final double[] PAGE_BOUNDS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30};
    private static final double[] COLLECTION_BOUNDS = {1, 5, 15, 60, 300, 900, 3600};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram pages = Histogram.builder().name("demi_page_seconds")
            .help("Time to answer a page, its JSON or its export, by route (page) and format")
            .labelNames("page", "format").classicOnly().classicUpperBounds(PAGE_BOUNDS).withoutExemplars().register(registry);
    private final Counter pushes = Counter.builder().name("demi_pushes_total")
            .help("Pushes answered, by outcome: stored, unchanged, checked (a checksum asked, the inventory to follow), refused (4xx), failed (5xx)")
            .labelNames("outcome").withoutExemplars().register(registry);
    private final Histogram collections = Histogram.builder().name("demi_collection_seconds")
            .help("Time one collection of the hosts of a method (ssh, local) took")
            .labelNames("method").classicOnly().classicUpperBounds(COLLECTION_BOUNDS).withoutExemplars().register(registry);
    private final Counter collectionFailures = Counter.builder().name("demi_collection_failures_total")
            .help("Hosts whose collection failed, by method").labelNames("method").withoutExemplars().register(registry);

    public Metrics() {
        JvmMetrics.builder().register(registry);
    }

    /** A page (its route template, {@code /hosts/{host}}) answered in {@code nanos}, as html, json or csv. */
    public void page(String route, String format, long nanos) {
        pages.labelValues(route, format).observe(nanos / 1e9);
    }

    /** A push ended so: stored, unchanged, refused or failed. */
    public void push(String outcome) {
        pushes.labelValues(outcome).inc();
    }

    /** The hosts of one method collected, in {@code took}, {@code failed} of them without success. */
    public void collection(String method, Duration took, int failed) {
        collections.labelValues(method).observe(took.toNanos() / 1e9);
        collectionFailures.labelValues(method).inc(failed);
    }

    /** Adds figures read at each scrape. */
    public void register(MultiCollector gauges) {
        registry.register(gauges);
    }

    PrometheusRegistry registry() {
        return registry;
    }
}
