package org.demi.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.demi.compliance.inventory.Inventory;

/**
 * The server's CPU for an hour of a push fleet: every push host of a generated fleet
 * ({@link GeneratedFleet}) sends its inventory once, as {@code demi-client}'s hourly timer does
 * (first its checksum; the whole inventory only when the server answers "send"), and 5% of them
 * send a new one: a few packages at other versions and one package more. The others send what
 * the server already holds, and the server records that they were seen, unchanged.
 *
 * <p>The hour is compressed: the hosts arrive in a random order, evenly spread over {@code
 * MINUTES} by 8 clients, and the server's own collection (of its SSH hosts, followed by the
 * index's reconciliation and the chart's replay) comes every {@code MINUTES}, so once in the sweep. Measured from /proc: the server's CPU while nothing arrives (a minute of
 * it, stated per hour), then from the sweep's first push until the last new inventory is
 * searchable and the server is quiet again; and each request's latency.
 *
 * <pre>java -Ddemi.fixtures=../shared/fixtures -cp bench/target/benchmarks.jar org.demi.bench.HourlySweep [DEMI_JAR] [HOSTS] [MINUTES] [HEAP] [KEEP_DIR]</pre>
 */
public final class HourlySweep {
    /** The share of the hosts whose inventory changed since their last push. */
    static final double CHANGED = 0.05;
    private static final int CLIENTS = 8;

    private HourlySweep() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "web/target/demi.jar").toAbsolutePath();
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        double minutes = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        String heap = args.length > 3 ? args[3] : "8g";
        Path kept = args.length > 4 ? Path.of(args[4]).toAbsolutePath() : null;
        Path tmp = kept != null ? kept : Files.createTempDirectory("demi-sweep");
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        try {
            if (kept == null || !Files.isDirectory(data.resolve("hosts"))) {
                long g0 = System.nanoTime();
                GeneratedFleet.write(jar, config, data, count, count, Instant.now());
                System.out.printf("generated %,d hosts, 2 collections each, in %.0f s%n", count, (System.nanoTime() - g0) / 1e9);
            } else {
                Files.deleteIfExists(data.resolve("users")); // so that the start prints a new admin password
                System.out.printf("the fleet generated before in %s: %,d hosts%n", kept, count);
            }
            GeneratedFleet fleet = GeneratedFleet.withEveryToken(config, data, count);
            run(jar, heap, config, data, tmp, fleet, minutes);
        } finally {
            if (kept == null) {
                ServeProcess.delete(tmp);
            }
        }
    }

    /** What one host sends: its checksum, and the inventory should the server not hold it. */
    private record Push(String host, String checksum, byte[] inventory, String marker) {
    }

    private static void run(Path jar, String heap, Path config, Path data, Path tmp, GeneratedFleet fleet, double minutes)
            throws Exception {
        long started = System.nanoTime();
        // The hour's own collection (its SSH hosts, the index's reconciliation, the chart replayed) comes once in the
        // compressed hour, as it comes once in a real one.
        ServeProcess server = ServeProcess.start(jar, heap, config, data, tmp.resolve("serve.log"), "--collect-interval",
                "PT" + Math.round(minutes * 60) + "S");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            String cookie = PushLoad.logIn(http, server.base, server.firstRunPassword());
            FleetLoad.awaitIndexed(http, server.base, cookie, fleet.hosts.size());
            System.out.printf("server: -Xmx%s; the index holds every host %.0f s after the start; %s%n", heap,
                    (System.nanoTime() - started) / 1e9, FleetLoad.resources(server));
            // A kept index judged by another build is judged again whole: at 100,000 hosts, over half an hour.
            double settled = server.quiet(Duration.ofMinutes(90));
            // A kept fleet's index judged by this very jar on this day is only reconciled: then this is a restart's cost.
            System.out.printf("quiet %.0f s after the start, with %.0f s of CPU%n", (System.nanoTime() - started) / 1e9, settled);
            Thread.sleep(60_000);
            double idlePerHour = (server.cpuSeconds() - settled) * 60;
            System.out.printf("idle: %.1f s of CPU an hour (measured over a minute with nothing arriving)%n", idlePerHour);

            // Every push host, in a random order; 5% of them changed, each with a marker of this run.
            List<String> hosts = new ArrayList<>(fleet.tokens.keySet());
            Random random = new Random(hosts.size());
            Collections.shuffle(hosts, random);
            int round = 2 + (int) (System.currentTimeMillis() / 1000 % 100_000);
            List<Integer> changed = new ArrayList<>();
            for (int k = 0; k < hosts.size(); k++) {
                if (random.nextDouble() < CHANGED) {
                    changed.add(k);
                }
            }
            long slot = (long) (minutes * 60e9 / hosts.size());
            AtomicInteger next = new AtomicInteger();
            AtomicInteger unchanged = new AtomicInteger();
            AtomicInteger stored = new AtomicInteger();
            ConcurrentLinkedQueue<Double> checksums = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Double> inventories = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Set<Integer> changing = new HashSet<>(changed);
            double cpu0 = server.cpuSeconds();
            long t0 = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int k = next.getAndIncrement(); k < hosts.size(); k = next.getAndIncrement()) {
                            Push p = push(hosts.get(k), changing.contains(k) ? round : -1);
                            long wait = t0 + k * slot - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            long a = System.nanoTime();
                            String said = post(http, server.base, p.host(), fleet.tokens.get(p.host()), "checksum",
                                    p.checksum().getBytes(StandardCharsets.US_ASCII));
                            checksums.add((System.nanoTime() - a) / 1e6);
                            if (said.equals("unchanged")) {
                                unchanged.incrementAndGet();
                                continue;
                            }
                            if (!said.equals("send")) {
                                throw new IllegalStateException(p.host() + ": the checksum was answered '" + said + "'");
                            }
                            long b = System.nanoTime();
                            said = post(http, server.base, p.host(), fleet.tokens.get(p.host()), "inventory", p.inventory());
                            inventories.add((System.nanoTime() - b) / 1e6);
                            if (!said.startsWith("stored ")) {
                                throw new IllegalStateException(p.host() + ": the inventory was answered '" + said + "'");
                            }
                            stored.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
                clients.add(t);
                t.start();
            }
            for (Thread t : clients) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a push failed", failures.peek());
            }
            double sent = (System.nanoTime() - t0) / 1e9;
            // The last new inventories, searchable; then the server quiet again (merges, commits).
            for (int k : changed.subList(Math.max(0, changed.size() - 10), changed.size())) {
                Push p = push(hosts.get(k), round);
                PushLoad.waitSearchable(http, server.base, cookie, p.host(), p.marker(), Duration.ofMinutes(5));
            }
            double searchable = (System.nanoTime() - t0) / 1e9;
            double cpu = server.quiet(Duration.ofMinutes(10)) - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf("sweep: %,d push hosts in %.0f s (%.0f a second; an hour's real rate is %.1f a second): %,d unchanged, "
                    + "%,d new inventories stored; the last searchable %.0f s after the first push, the server quiet at %.0f s%n",
                    hosts.size(), sent, hosts.size() / sent, hosts.size() / 3600.0, unchanged.get(), stored.get(), searchable, wall);
            System.out.println(PushLoad.summary("  checksum, answered", List.copyOf(checksums)));
            if (!inventories.isEmpty()) {
                System.out.println(PushLoad.summary("  inventory, answered", List.copyOf(inventories)));
            }
            double idleShare = idlePerHour / 3600 * wall;
            System.out.printf("sweep CPU: %.0f s from the first push until quiet (of which %.0f s the idle rate); "
                    + "%.2f ms per unchanged host and new inventory together, %.0f s for the hour with the idle rest%n", cpu,
                    idleShare, (cpu - idleShare) * 1000 / hosts.size(), cpu + idlePerHour / 3600 * Math.max(0, 3600 - wall));
            System.out.println("server at the end: " + FleetLoad.resources(server));
        } finally {
            server.close();
        }
    }

    /**
     * What {@code host} sends: the inventory it last sent ({@code round} -1), or that one at
     * {@code round} of {@link GeneratedFleet#vary} with a marker package naming the round.
     */
    private static Push push(String host, int round) throws Exception {
        int i = Integer.parseInt(host.substring(1));
        String fixture = GeneratedFleet.fixture(i);
        byte[] os = BenchFixtures.raw("hosts/" + fixture + "/os-release");
        byte[] status = BenchFixtures.raw("hosts/" + fixture + "/status");
        String marker = null;
        if (round < 0) {
            status = GeneratedFleet.vary(status, i, GeneratedFleet.latestRound(i));
        } else {
            marker = "1.0-sweep" + round;
            byte[] varied = GeneratedFleet.vary(status, i, round);
            status = PushLoad.concat(Arrays.copyOf(varied, varied.length - 1), PushLoad.markerParagraph(marker));
        }
        return new Push(host, Inventory.of(os, status).checksum(), PushLoad.frame(os, status), marker);
    }

    private static String post(HttpClient http, String base, String host, String token, String what, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/push/v1/hosts/" + host + "/" + what))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(host + ": " + what + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body().strip();
    }
}
