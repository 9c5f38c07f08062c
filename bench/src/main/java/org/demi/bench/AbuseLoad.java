package org.demi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.host.Tokens;

/**
 * What an honest client on 127.0.0.1 gets from a real {@code demi serve} while other loopback
 * addresses attack it, for each server jar given (the current one and an older one, side by
 * side in one run): the latency of an apt download (the repository's key file) and of a whole
 * log-in (form, then password), quiet and under each attack of issue 13:
 * <ul>
 *   <li>trickle: 220 connections from 127.0.0.2 with one push host's valid token, each sending
 *       a valid inventory one byte every 5 s;</li>
 *   <li>log-in flood: 64 guesses in flight from 127.0.0.10-17 (8 each), each sent as soon as the
 *       last is answered.</li>
 * </ul>
 * An honest request not answered within 10 s counts as 10 s and a timeout.
 *
 * <pre>java -Ddemi.fixtures=../shared/fixtures -cp bench/target/benchmarks.jar org.demi.bench.AbuseLoad JAR [JAR...]</pre>
 */
public final class AbuseLoad {
    private static final Duration HONEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ATTACK = Duration.ofSeconds(40);

    private AbuseLoad() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"web/target/demi.jar"} : args) {
            jars.add(Path.of(a).toAbsolutePath());
        }
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (Path jar : jars) {
            Map<String, String> column = run(jar);
            column.forEach((row, v) -> table.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(jar.toString(), v));
        }
        System.out.printf("%n%-38s", "p50 / p99 / max ms (timeouts)");
        for (Path jar : jars) {
            System.out.printf(" | %-40s", shorten(jar.toString()));
        }
        System.out.println();
        table.forEach((row, values) -> {
            System.out.printf("%-38s", row);
            for (Path jar : jars) {
                System.out.printf(" | %-40s", values.getOrDefault(jar.toString(), "-"));
            }
            System.out.println();
        });
    }

    private static String shorten(String s) {
        return s.length() > 40 ? "..." + s.substring(s.length() - 37) : s;
    }

    private static Map<String, String> run(Path jar) throws Exception {
        Path tmp = Files.createTempDirectory("demi-abuse");
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH)));
        String token = Tokens.forPushHosts(data.resolve("keys/push-tokens")).issue("laptop");
        Map<String, byte[][]> fixture = new LinkedHashMap<>();
        for (String f : PushLoad.FIXTURE_HOSTS) {
            fixture.put(f, new byte[][] {BenchFixtures.raw("hosts/" + f + "/os-release"), BenchFixtures.raw("hosts/" + f + "/status")});
        }
        byte[] body = PushLoad.frame(fixture, 0, 0);
        ServeProcess server = ServeProcess.start(jar, config, data, tmp.resolve("serve.log"), "--collect-interval", "0");
        int port = server.port;
        String base = server.base;
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newBuilder().connectTimeout(HONEST_TIMEOUT).executor(clientThreads).build();
        Map<String, String> out = new LinkedHashMap<>();
        try {
            String password = server.firstRunPassword();
            System.out.println(jar + ":");
            // Cold: the first download and the first log-in of a server just started (nothing compiled,
            // nothing cached); then warm, quiet, as the reference for the attacks.
            honest(http, base, password, Duration.ZERO, "cold (first request)", out);
            honest(http, base, password, Duration.ofSeconds(10), "warm, quiet", out);

            AtomicBoolean on = new AtomicBoolean(true);
            Thread trickle = new Thread(() -> trickle(port, token, body, on), "trickle");
            trickle.start();
            Thread.sleep(3000);
            honest(http, base, password, ATTACK, "trickle, 220 conns, 1 token", out);
            on.set(false);
            trickle.join();

            on.set(true);
            AtomicInteger guesses = new AtomicInteger();
            ExecutorService flood = Executors.newFixedThreadPool(64);
            for (int a = 10; a < 18; a++) {
                String from = "127.0.0." + a;
                for (int i = 0; i < 8; i++) {
                    flood.submit(() -> guess(port, from, on, guesses));
                }
            }
            Thread.sleep(3000);
            honest(http, base, password, ATTACK, "log-in flood, 64 in flight", out);
            on.set(false);
            flood.shutdown();
            flood.awaitTermination(60, TimeUnit.SECONDS);
            System.out.printf("  (the flood sent %d guesses)%n", guesses.get());
        } finally {
            server.close();
            clientThreads.shutdownNow();
            ServeProcess.delete(tmp);
        }
        return out;
    }

    /** Samples, twice a second for {@code span}: an apt download, and a whole log-in. */
    private static void honest(HttpClient http, String base, String password, Duration span, String label, Map<String, String> out)
            throws Exception {
        List<Double> apt = new ArrayList<>();
        List<Double> logIn = new ArrayList<>();
        int[] timeouts = new int[2];
        long end = System.nanoTime() + span.toNanos();
        do {
            long t = System.nanoTime();
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/debian/demi-archive-key.asc"))
                        .timeout(HONEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("apt download answered " + r.statusCode());
                }
                apt.add((System.nanoTime() - t) / 1e6);
            } catch (java.net.http.HttpTimeoutException e) {
                apt.add((double) HONEST_TIMEOUT.toMillis());
                timeouts[0]++;
            }
            t = System.nanoTime();
            try {
                PushLoad.logIn(http, base, password);
                logIn.add((System.nanoTime() - t) / 1e6);
            } catch (java.net.http.HttpTimeoutException | IllegalStateException e) {
                logIn.add(Math.max((System.nanoTime() - t) / 1e6, HONEST_TIMEOUT.toMillis()));
                timeouts[1]++;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < end);
        out.put(label + ": apt", figures(apt, timeouts[0]));
        out.put(label + ": log-in", figures(logIn, timeouts[1]));
        System.out.printf("  %-38s apt %s, log-in %s%n", label, figures(apt, timeouts[0]), figures(logIn, timeouts[1]));
    }

    private static String figures(List<Double> ms, int timeouts) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return String.format("%.0f / %.0f / %.0f (%d)", s.get(s.size() / 2), s.get((int) Math.min(s.size() - 1, Math.ceil(s.size() * 0.99) - 1)),
                s.get(s.size() - 1), timeouts);
    }

    /** 220 connections from 127.0.0.2, each pushing a valid inventory one byte every 5 s. */
    private static void trickle(int port, String token, byte[] body, AtomicBoolean on) {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 220; i++) {
                try {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress("127.0.0.2", 0));
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    s.getOutputStream().write(("POST /push/v1/hosts/laptop/inventory HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Bearer " + token + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    sockets.add(s);
                } catch (IOException e) {
                    // refused or closed: the server's business
                }
            }
            for (int next = 0; on.get() && next < body.length; next++) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(body, next, 1);
                    } catch (IOException e) {
                        // cut by the server
                    }
                }
                for (int i = 0; i < 50 && on.get(); i++) {
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    private static final Pattern COOKIE = Pattern.compile("Set-Cookie: demi_login=([^;]+)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** One attacker: fetches a log-in form from {@code from}, then posts wrong passwords for admin as fast as answered. */
    private static Object guess(int port, String from, AtomicBoolean on, AtomicInteger guesses) throws IOException {
        String form = exchange(port, from, "GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Matcher cookie = COOKIE.matcher(form);
        Matcher csrf = CSRF.matcher(form);
        if (!cookie.find() || !csrf.find()) {
            return null;
        }
        while (on.get()) {
            String body = "csrf=" + csrf.group(1) + "&user=admin&password=guess" + guesses.incrementAndGet() + "&next=/";
            exchange(port, from, "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: demi_login=" + cookie.group(1)
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }
        return null;
    }

    private static String exchange(int port, String from, String request) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
