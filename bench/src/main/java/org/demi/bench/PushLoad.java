package org.demi.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.host.Tokens;

/**
 * Push latency of a real {@code demi serve}, driven only over HTTP as push hosts and a person
 * drive it: {@code HOSTS} push hosts (the fixture hosts' real status files, each push with its
 * own version of one package so that every push is a new inventory) each push {@code ROUNDS}
 * times, all hosts at once, while the server collects this machine as a local host every two
 * seconds; the latency of each push is measured. Then, one host at a time,
 * how long a pushed inventory takes to become searchable: from the push's answer until the
 * web API shows the new version.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.demi.bench.PushLoad [DEMI_JAR] [HOSTS] [ROUNDS]</pre>
 */
public final class PushLoad {
    static final String[] FIXTURE_HOSTS = {"bookworm-minbase", "bookworm-dev", "bullseye-minbase", "trixie-minbase"};
    private static final String PASSWORD = "bench password 1";

    private PushLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "web/target/demi.jar").toAbsolutePath();
        int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path tmp = Files.createTempDirectory("demi-pushload");
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        List<HostSpec> specs = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            specs.add(new HostSpec(name(i), null, 22, null, List.of("g" + i % 5), CollectMethod.PUSH));
        }
        // And the machine itself, collected locally every two seconds: a collection sweep (with its
        // index reconciliation and chart replay) runs all through the pushes.
        List<HostSpec> declared = new ArrayList<>(specs);
        declared.add(new HostSpec("self", null, 22, null, List.of(), CollectMethod.LOCAL));
        HostsFile.write(config.resolve("hosts"), declared);
        Tokens tokens = Tokens.forPushHosts(data.resolve("keys/push-tokens"));
        Map<String, String> token = tokens.issue(specs.stream().map(HostSpec::host).toList());
        Map<String, byte[][]> fixture = new LinkedHashMap<>();
        for (String f : FIXTURE_HOSTS) {
            fixture.put(f, new byte[][] {BenchFixtures.raw("hosts/" + f + "/os-release"), BenchFixtures.raw("hosts/" + f + "/status")});
        }
        ServeProcess server = ServeProcess.start(jar, config, data, tmp.resolve("serve.log"), "--collect-interval", "PT2S");
        String base = server.base;
        ExecutorService clientThreads = Executors.newFixedThreadPool(8);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(clientThreads).build();
        try {
            String password = server.firstRunPassword();
            String cookie = logIn(http, base, password);
            // Cold: each host's first inventory, to a server just started (nothing compiled yet, every
            // host new to the index), measured apart; the warm rounds then replace known hosts.
            ExecutorService pool = Executors.newFixedThreadPool(hosts);
            List<Double> cold = runRound(http, base, specs, token, fixture, 0, pool);
            for (int i = 0; i < hosts; i++) {
                waitSearchable(http, base, cookie, specs.get(i).host(), marker(i, 0), Duration.ofSeconds(120));
            }
            System.out.println(summary("cold: first push of each host", cold));

            List<Double> latencies = new ArrayList<>();
            long started = System.nanoTime();
            for (int r = 1; r <= rounds; r++) {
                latencies.addAll(runRound(http, base, specs, token, fixture, r, pool));
            }
            long burstEnd = System.nanoTime();
            double wall = (burstEnd - started) / 1e9;
            pool.shutdown();
            // Every host's last push of the burst, searchable: how far the index trails a burst.
            for (int i = 0; i < hosts; i++) {
                waitSearchable(http, base, cookie, specs.get(i).host(), marker(i, rounds), Duration.ofSeconds(120));
            }
            double trail = (System.nanoTime() - burstEnd) / 1e6;
            System.out.printf("push load: %d hosts x %d rounds = %d pushes at once (%d concurrent), %.1f s wall, %.0f pushes/s%n",
                    hosts, rounds, latencies.size(), hosts, wall, latencies.size() / wall);
            System.out.println(summary("warm: push latency", latencies));
            System.out.printf("%-40s %.0f ms after the burst's last answer%n", "every push of the burst searchable", trail);

            // Searchable: one push at a time, the burst indexed, to the web API showing it.
            List<Double> visible = new ArrayList<>();
            for (int i = 0; i < Math.min(20, hosts); i++) {
                int round = rounds + 1;
                long t0 = System.nanoTime();
                push(http, base, specs.get(i).host(), token.get(specs.get(i).host()), frame(fixture, i, round));
                long answered = System.nanoTime();
                waitSearchable(http, base, cookie, specs.get(i).host(), marker(i, round), Duration.ofSeconds(30));
                visible.add((System.nanoTime() - answered) / 1e6);
                latencies.add((answered - t0) / 1e6);
            }
            System.out.println(summary("warm: answered -> searchable in /api/v1", visible));
        } finally {
            server.close();
            clientThreads.shutdownNow();
            ServeProcess.delete(tmp);
        }
    }

    private static List<Double> runRound(HttpClient http, String base, List<HostSpec> specs, Map<String, String> token,
            Map<String, byte[][]> fixture, int round, ExecutorService pool) throws Exception {
        List<Future<Double>> results = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            frames.add(frame(fixture, i, round));
        }
        for (int i = 0; i < specs.size(); i++) {
            String host = specs.get(i).host();
            byte[] body = frames.get(i);
            results.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                push(http, base, host, token.get(host), body);
                return (System.nanoTime() - t0) / 1e6;
            }));
        }
        List<Double> out = new ArrayList<>();
        for (Future<Double> f : results) {
            out.add(f.get());
        }
        return out;
    }

    static void push(HttpClient http, String base, String host, String token, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/push/v1/hosts/" + host + "/inventory"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().startsWith("stored ")) {
            throw new IllegalStateException(host + ": push answered " + r.statusCode() + " " + r.body());
        }
    }

    static void waitSearchable(HttpClient http, String base, String cookie, String host, String version, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String q = URLEncoder.encode("package:demi-bench-marker", StandardCharsets.UTF_8);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/hosts/" + host + "?q=" + q))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains(version)) {
                return;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(host + " did not show " + version + " within " + limit);
    }

    private static String name(int i) {
        return String.format("push%03d", i);
    }

    private static String marker(int host, int round) {
        return "1.0-" + host + "r" + round;
    }

    /** demi-inventory's stream of a fixture host, with a package whose version names the host and round. */
    static byte[] frame(Map<String, byte[][]> fixture, int host, int round) throws Exception {
        byte[][] f = fixture.get(FIXTURE_HOSTS[host % FIXTURE_HOSTS.length]);
        return frame(f[0], concat(f[1], markerParagraph(marker(host, round))));
    }

    /** A status paragraph of the package demi-bench-marker at {@code version}: which push this is, searchable. */
    static byte[] markerParagraph(String version) {
        return ("\nPackage: demi-bench-marker\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
                + "Installed-Size: 1\nMaintainer: Demi <demi@example.org>\nArchitecture: all\nVersion: " + version
                + "\nDescription: marks which push this is\n").getBytes(StandardCharsets.UTF_8);
    }

    /** demi-inventory's stream of this os-release and status, gzip-compressed. */
    static byte[] frame(byte[] os, byte[] status) throws Exception {
        String header = "Demi-Inventory: 1\nOs-Release-Size: " + os.length + "\nOs-Release-SHA256: " + sha256(os)
                + "\nStatus-Size: " + status.length + "\nStatus-SHA256: " + sha256(status) + "\n\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(header.getBytes(StandardCharsets.US_ASCII));
            gz.write(os);
            gz.write(status);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String awaitFirstPassword(Path log, Process server) throws Exception {
        Pattern p = Pattern.compile("with the password (\\S+)");
        for (int i = 0; i < 600; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("demi serve stopped: " + Files.readString(log));
            }
            if (Files.exists(log)) {
                Matcher m = p.matcher(Files.readString(log));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("demi serve printed no first-run password: " + Files.readString(log));
    }

    /** How long each of a log-in's two requests may take before it counts as a timeout. */
    static final Duration LOG_IN_TIMEOUT = Duration.ofSeconds(10);

    static String logIn(HttpClient http, String base, String password) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(LOG_IN_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no log-in form at " + base + "/login");
        }
        List<String> cookies = new ArrayList<>();
        form.headers().allValues("set-cookie").forEach(c -> cookies.add(c.split(";", 2)[0]));
        String body = "csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8) + "&user=admin&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next=%2F";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(LOG_IN_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", String.join("; ", cookies))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> session = new ArrayList<>();
        r.headers().allValues("set-cookie").forEach(c -> session.add(c.split(";", 2)[0]));
        if (session.isEmpty()) {
            throw new IllegalStateException("log-in refused: " + r.statusCode());
        }
        return String.join("; ", session);
    }

    static String summary(String what, List<Double> ms) {
        double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%-40s n=%d  p50 %.1f ms  p99 %.1f ms  max %.1f ms", what, s.length, pct(s, 0.50), pct(s, 0.99),
                s[s.length - 1]);
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
