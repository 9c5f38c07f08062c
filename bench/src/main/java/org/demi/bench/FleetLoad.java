package org.demi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.demi.compliance.inventory.StatusFile;

/**
 * A real {@code demi serve} holding a generated fleet ({@link GeneratedFleet}), asked what its
 * users ask, over HTTP as a browser and API clients ask it: each request of a kind drawn at
 * random (a random host's page and its API twin, a random package's page, a random group's
 * non-compliant hosts, a random source's security updates, a random CVE and advisory, host
 * lists sorted by a random column, deep pages at random offsets, CSV exports of a group and of
 * a host, the overview), by 8 and then 32 clients with no pause between requests.
 *
 * <p>Reported per kind, p50, p99 and max: right after the start, once the server is quiet (the
 * JVM and every cache cold); then by 8 clients, with a push every second, while the JIT compiles
 * what the pages and the pushes run (90 s, {@code -Ddemi.load.warmup=SECONDS}); then for each
 * number of clients with the index unchanged (warm) and with a push arriving every second (each
 * push a new inventory, so the index changes and every cached answer goes: the answers are
 * computed anew, cold). Then each kind alone, by
 * one client: what one answer of it costs the server's CPU, so the kinds that make the queue are
 * named. Then how long a push takes to be searchable, the full
 * index build at start, the server's CPU and its memory.
 *
 * <pre>java -Ddemi.fixtures=../shared/fixtures -cp bench/target/benchmarks.jar org.demi.bench.FleetLoad [DEMI_JAR] [HOSTS] [SECONDS] [HEAP] [KEEP_DIR]</pre>
 *
 * <p>{@code -Ddemi.serve.options="--index solr:127.0.0.1:PORT/solr --index-part bench"} adds
 * options to the server's command line: so the same load is measured against a SolrCloud (the
 * solr-cluster module's program runs one on this machine), beside a run on the embedded index.
 */
public final class FleetLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many clients' questions were drawn so far: each client of each phase draws its own. */
    private static final AtomicLong ROUNDS = new AtomicLong();
    private static final String[] SORTS = {"host", "-security_updates", "-open_cves", "-open_advisories", "last_seen", "-updates",
            "release", "-packages", "oldest_advisory"};

    private FleetLoad() {
    }

    /** One kind of request: its name and how a random one is drawn. */
    private record Kind(String name, Function<Random, String> path) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "web/target/demi.jar").toAbsolutePath();
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String heap = args.length > 3 ? args[3] : "8g";
        int warmup = seconds("demi.load.warmup", 90); // checked before the fleet is generated
        // A directory named as the fifth argument keeps the generated fleet, and serves it again next time.
        Path kept = args.length > 4 ? Path.of(args[4]).toAbsolutePath() : null;
        Path tmp = kept != null ? kept : Files.createTempDirectory("demi-fleetload");
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        try {
            GeneratedFleet fleet;
            if (kept != null && Files.isDirectory(data.resolve("hosts"))) {
                fleet = GeneratedFleet.read(config, count);
                if (Files.isDirectory(data.resolve("index"))) {
                    ServeProcess.delete(data.resolve("index")); // the start builds it anew, measured
                }
                Files.deleteIfExists(data.resolve("users")); // so that the start prints a new admin password
                System.out.printf("the fleet generated before in %s: %,d hosts%n", kept, count);
            } else {
                long g0 = System.nanoTime();
                fleet = GeneratedFleet.write(jar, config, data, count, 500, Instant.now());
                System.out.printf("generated %,d hosts (%,d push, the rest unreachable over SSH), 2 collections each, in %.0f s%n",
                        count, fleet.pushHosts.size(), (System.nanoTime() - g0) / 1e9);
            }
            run(jar, heap, config, data, tmp, fleet, seconds, warmup);
        } finally {
            if (kept == null) {
                ServeProcess.delete(tmp);
            }
        }
    }

    private static void run(Path jar, String heap, Path config, Path data, Path tmp, GeneratedFleet fleet, int seconds, int warmup)
            throws Exception {
        long started = System.nanoTime();
        List<String> options = new ArrayList<>(List.of("--collect-interval", "PT1H"));
        String more = System.getProperty("demi.serve.options", "").strip();
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
            System.out.println("server options: " + more);
        }
        ServeProcess server = ServeProcess.start(jar, heap, config, data, tmp.resolve("serve.log"), options.toArray(String[]::new));
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(threads).build();
        try {
            String cookie = PushLoad.logIn(http, server.base, server.firstRunPassword());
            awaitIndexed(http, server.base, cookie, fleet.hosts.size());
            double build = (System.nanoTime() - started) / 1e9;
            System.out.printf("server: -Xmx%s; every host evaluated and indexed %.0f s after the start; %s%n", heap, build,
                    resources(server));
            // What a start leaves to do once every host is searchable (merges, the exposure chart's replay) is not the
            // load's: the phases begin with the server quiet, so "index unchanged" is measured with nothing else running.
            double cpu = server.quiet(Duration.ofMinutes(30));
            System.out.printf("quiet %.0f s after the start, with %.0f s of CPU%n", (System.nanoTime() - started) / 1e9, cpu);
            // -Ddemi.load.kinds="host page; host, API": only these kinds (to profile them), separated by semicolons.
            String only = System.getProperty("demi.load.kinds", "").strip();
            List<String> names = List.of(only.split(";\\s*"));
            List<Kind> kinds = kinds(http, server.base, cookie, fleet).stream().filter(k -> only.isEmpty() || names.contains(k.name()))
                    .toList();
            if (!only.isEmpty()) {
                System.out.println("only: " + kinds.stream().map(Kind::name).toList());
            }

            Map<String, List<Double>> first = ask(http, server.base, cookie, kinds, 1, 0, 5, null);
            report("just started: 5 of each kind, one client (JVM and caches cold)", first);
            // Each push's marker version is new, also to a fleet kept from an earlier run: a push of what the host
            // already holds is only confirmed unchanged, and would change nothing in the index.
            AtomicLong pushes = new AtomicLong(System.currentTimeMillis());
            // The JIT compiles the pages' code for minutes under load, on the cores the answers need (a fifth to a
            // third of the CPU at 10,000 hosts in the first minute): reported as its own phase, so that "warm" means warm.
            // A push every second meanwhile, as a running server gets them: without, the indexing path and the pages'
            // code over small new segments were first compiled inside the measured push phase (a fifth of its CPU,
            // and 375 deoptimisations in its first 10 s, against 9 in the phase before). -Ddemi.load.warmup=0 leaves it out.
            if (warmup > 0) {
                phase(http, server, cookie,
                        "8 clients for " + warmup + " s and a push every second, right after the start (the JIT compiling)",
                        () -> ask(http, server.base, cookie, kinds, 8, warmup, 0, () -> push(http, server.base, fleet, pushes)));
            }
            for (int clients : new int[] {8, 32}) {
                phase(http, server, cookie, clients + " clients, index unchanged (warm)",
                        () -> ask(http, server.base, cookie, kinds, clients, seconds, 0, null));
                phase(http, server, cookie, clients + " clients, a push every second (the index changes: cold answers)",
                        () -> ask(http, server.base, cookie, kinds, clients, seconds, 0, () -> push(http, server.base, fleet, pushes)));
            }
            System.out.println("one client, each kind alone, 40 random questions (warm): what one answer costs the server");
            System.out.printf("  %-36s %7s %9s %9s %12s%n", "", "n", "p50 ms", "p99 ms", "CPU/answer");
            for (Kind k : kinds) {
                double before = server.cpuSeconds();
                List<Double> alone = ask(http, server.base, cookie, List.of(k), 1, 0, 40, null).get(k.name());
                double spent = server.cpuSeconds() - before;
                System.out.printf("%s %9.1f ms%n", row(k.name(), alone, false), 1000 * spent / alone.size());
            }
            List<Double> visible = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String[] pushed = push(http, server.base, fleet, pushes);
                long t0 = System.nanoTime();
                PushLoad.waitSearchable(http, server.base, cookie, pushed[0], pushed[1], Duration.ofSeconds(60));
                visible.add((System.nanoTime() - t0) / 1e6);
            }
            System.out.println(PushLoad.summary("a push searchable after its answer", visible));
            System.out.println("server at the end: " + resources(server));
        } finally {
            server.close();
            threads.shutdownNow();
        }
    }

    /** A number of seconds given as a system property, 0 or more; {@code otherwise} when it is not given. */
    private static int seconds(String property, int otherwise) {
        String value = System.getProperty(property, Integer.toString(otherwise)).strip();
        if (!value.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("-D" + property + " must be a number of seconds, 0 or more, not '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    /** The request kinds, drawn from what the server holds. */
    private static List<Kind> kinds(HttpClient http, String base, String cookie, GeneratedFleet fleet) throws Exception {
        Set<String> packages = new LinkedHashSet<>();
        Set<String> sources = new LinkedHashSet<>();
        for (String f : GeneratedFleet.FIXTURE_HOSTS) {
            for (var e : StatusFile.parse(BenchFixtures.raw("hosts/" + f + "/status"), f)) {
                packages.add(e.packageName());
                sources.add(e.source().name());
            }
        }
        List<String> pkgs = List.copyOf(packages);
        List<String> srcs = List.copyOf(sources);
        List<String> hosts = fleet.hosts;
        List<String> cves = new ArrayList<>();
        get(http, base, cookie, "/api/v1/cves?limit=5000&sort=-hosts").at("/tables/0/rows").forEach(r -> cves.add(r.get("cve").asText()));
        List<String> advisories = new ArrayList<>();
        get(http, base, cookie, "/api/v1/advisories?limit=2000").at("/tables/0/rows").forEach(r -> {
            JsonNode id = r.get("advisory");
            advisories.add((id.isArray() ? id.get(0) : id).asText());
        });
        if (cves.isEmpty() || advisories.isEmpty()) {
            throw new IllegalStateException("the server shows no open CVE or no advisory: nothing to ask about");
        }
        String[] releases = {"bookworm", "trixie", "bullseye"};
        int total = hosts.size();
        return List.of(
                new Kind("overview", r -> "/"),
                new Kind("host page", r -> "/hosts/" + pick(hosts, r)),
                new Kind("host, API", r -> "/api/v1/hosts/" + pick(hosts, r)),
                new Kind("group's non-compliant hosts", r -> "/hosts?q=" + q("group:g" + r.nextInt(50) + " verdict:non-compliant")),
                new Kind("hosts, by a random column", r -> "/hosts?q=" + q("release:" + releases[r.nextInt(3)]) + "&sort="
                        + SORTS[r.nextInt(SORTS.length)]),
                new Kind("hosts, a deep page", r -> "/hosts?offset=" + r.nextInt(Math.max(1, total - 100)) + "&sort="
                        + SORTS[r.nextInt(SORTS.length)]),
                new Kind("package page", r -> "/packages/" + pick(pkgs, r)),
                new Kind("source's security updates", r -> "/packages?q=" + q("source:" + pick(srcs, r) + " state:security-update")),
                new Kind("packages, a deep page", r -> "/packages?q=" + q("state:update") + "&offset=" + r.nextInt(20_000)
                        + "&sort=package"),
                new Kind("CVE page", r -> "/cves/" + pick(cves, r)),
                new Kind("CVE list, by hosts", r -> "/cves?sort=-hosts&offset=" + r.nextInt(1000)),
                new Kind("advisory page", r -> "/advisories/" + pick(advisories, r)),
                new Kind("export: a group's hosts, CSV", r -> "/hosts?format=csv&q=" + q("group:g" + r.nextInt(50))),
                new Kind("export: a host's packages, CSV", r -> "/hosts/" + pick(hosts, r) + "?format=csv"));
    }

    /**
     * {@code clients} clients asking random requests of random kinds for {@code seconds} (or
     * {@code each} of every kind, in turn, when {@code seconds} is 0), {@code everySecond} run
     * meanwhile once a second; the latencies per kind, in ms.
     */
    private static Map<String, List<Double>> ask(HttpClient http, String base, String cookie, List<Kind> kinds, int clients,
            int seconds, int each, Runnable everySecond) throws Exception {
        Map<String, List<Double>> out = new ConcurrentHashMap<>();
        kinds.forEach(k -> out.put(k.name(), java.util.Collections.synchronizedList(new ArrayList<>())));
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            // Each phase its own questions: no phase asks an earlier one's again, answered from the cache.
            Random random = new Random(ROUNDS.incrementAndGet() * 1_000_003L);
            Thread t = new Thread(() -> {
                try {
                    if (seconds == 0) {
                        for (int i = 0; i < each; i++) {
                            for (Kind k : kinds) {
                                out.get(k.name()).add(time(http, base, cookie, k.path().apply(random)));
                            }
                        }
                        return;
                    }
                    while (System.nanoTime() < end) {
                        Kind k = kinds.get(random.nextInt(kinds.size()));
                        out.get(k.name()).add(time(http, base, cookie, k.path().apply(random)));
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        if (everySecond != null) {
            while (System.nanoTime() < end - 1_000_000_000L) {
                Thread.sleep(1000);
                everySecond.run();
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a request failed", failures.peek());
        }
        return out;
    }

    private static double time(HttpClient http, String base, String cookie, String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": "
                    + new String(r.body(), 0, Math.min(300, r.body().length), StandardCharsets.UTF_8));
        }
        return ms;
    }

    /** One push of a random token host: a new inventory (its generated status and a marker); host and marker version. */
    private static String[] push(HttpClient http, String base, GeneratedFleet fleet, AtomicLong n) {
        long i = n.incrementAndGet();
        List<String> hosts = List.copyOf(fleet.tokens.keySet());
        String host = hosts.get((int) (i * 7919 % hosts.size()));
        int h = Integer.parseInt(host.substring(1));
        try {
            byte[][] f = {BenchFixtures.raw("hosts/" + GeneratedFleet.fixture(h) + "/os-release"),
                    BenchFixtures.raw("hosts/" + GeneratedFleet.fixture(h) + "/status")};
            byte[] status = GeneratedFleet.vary(f[1], h, 1);
            String version = "1.0-" + i;
            byte[] body = PushLoad.frame(f[0], PushLoad.concat(Arrays.copyOf(status, status.length - 1),
                    PushLoad.markerParagraph(version)));
            PushLoad.push(http, base, host, fleet.tokens.get(host), body);
            return new String[] {host, version};
        } catch (Exception e) {
            throw new IllegalStateException("push of " + host, e);
        }
    }

    private static void report(String what, Map<String, List<Double>> latencies) {
        System.out.println(what + ":");
        System.out.printf("  %-36s %7s %9s %9s %9s%n", "", "n", "p50 ms", "p99 ms", "max ms");
        List<Double> all = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : new java.util.TreeMap<>(latencies).entrySet()) {
            all.addAll(e.getValue());
            if (!e.getValue().isEmpty()) {
                System.out.println(row(e.getKey(), e.getValue(), true));
            }
        }
        System.out.println(row("all", all, true));
    }

    /** One line of a report: how many latencies, their p50 and p99, and their max if asked. */
    private static String row(String name, List<Double> latencies, boolean max) {
        double[] s = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("  %-36s %7d %9.1f %9.1f", name, s.length, PushLoad.pct(s, 0.5), PushLoad.pct(s, 0.99))
                + (max ? String.format(" %9.1f", s[s.length - 1]) : "");
    }

    /** One phase of the load: its latencies per kind, then what the server spent on them. */
    private static void phase(HttpClient http, ServeProcess server, String cookie, String what,
            java.util.concurrent.Callable<Map<String, List<Double>>> load) throws Exception {
        ServerTime before = ServerTime.now(http, server, cookie);
        Map<String, List<Double>> answers = load.call();
        report(what, answers);
        System.out.println(before.since(http, server, cookie, answers));
    }

    /**
     * The server's CPU (and its JIT compiler threads' part of it, from /proc), its garbage collector's pauses and what it
     * allocated at one moment (the last two from its /metrics, the JVM's own count): a phase's p99 is the queue for the
     * CPU plus the pauses that stopped every request at once, and the phase's report says how much of each there was.
     */
    private record ServerTime(long nanos, double cpu, double collections, double paused, double allocated, double compiling) {
        static ServerTime now(HttpClient http, ServeProcess server, String cookie) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/metrics")).header("Cookie", cookie)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("/metrics answered " + r.statusCode());
            }
            double collections = 0;
            double paused = 0;
            double allocated = 0;
            // jvm_gc_collection_seconds_count{gc="G1 Young Generation"} 56: the concurrent cycles' beans (a later JDK's) are no pause
            // jvm_memory_pool_allocated_bytes_total{pool="G1 Eden Space"} 1.2E10: what the requests allocated, as the
            // collections found it (the JVM counts it at each collection only)
            for (String line : r.body().split("\n")) {
                boolean pause = line.startsWith("jvm_gc_collection_seconds_") && !line.contains("Concurrent");
                boolean eden = line.startsWith("jvm_memory_pool_allocated_bytes_total") && line.contains("Eden");
                if (!pause && !eden) {
                    continue;
                }
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (eden) {
                    allocated += value;
                } else if (line.startsWith("jvm_gc_collection_seconds_count")) {
                    collections += value;
                } else if (line.startsWith("jvm_gc_collection_seconds_sum")) {
                    paused += value;
                }
            }
            return new ServerTime(System.nanoTime(), server.cpuSeconds(), collections, paused, allocated, server.compilingSeconds());
        }

        /** What the server spent from this moment on, for the answers given meanwhile. */
        String since(HttpClient http, ServeProcess server, String cookie, Map<String, List<Double>> answers) throws Exception {
            ServerTime end = now(http, server, cookie);
            double n = Math.max(1, answers.values().stream().mapToLong(List::size).sum());
            double seconds = (end.nanos - nanos) / 1e9;
            double collected = end.collections - collections;
            double pausedFor = end.paused - paused;
            return String.format("  the server: %.1f ms of CPU per answer (%.2f cores), of which %.1f ms compiling (the JIT); %.1f MB"
                    + " allocated per answer; %.0f collections paused it %.0f ms on average, %.1f%% of the time",
                    1000 * (end.cpu - cpu) / n, (end.cpu - cpu) / seconds, 1000 * (end.compiling - compiling) / n,
                    (end.allocated - allocated) / 1e6 / n, collected, 1000 * pausedFor / Math.max(1, collected),
                    100 * pausedFor / seconds);
        }
    }

    /** Waits until the server's host list holds {@code hosts} hosts: every one judged and indexed. */
    static void awaitIndexed(HttpClient http, String base, String cookie, int hosts) throws Exception {
        long indexed = 0;
        while (indexed < hosts) {
            Thread.sleep(1000);
            indexed = get(http, base, cookie, "/api/v1/hosts?limit=1").at("/tables/0/total").asLong();
        }
    }

    static JsonNode get(HttpClient http, String base, String cookie, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(300)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** The server process's CPU time so far and its peak resident memory, from /proc. */
    static String resources(ServeProcess server) throws Exception {
        return String.format("CPU %.0f s, peak resident memory %s", server.cpuSeconds(), server.peakResident());
    }

    private static String pick(List<String> from, Random r) {
        return URLEncoder.encode(from.get(r.nextInt(from.size())), StandardCharsets.UTF_8);
    }

    private static String q(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }
}
