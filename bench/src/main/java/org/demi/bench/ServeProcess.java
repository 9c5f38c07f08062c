package org.demi.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code demi serve} from a jar, on a free loopback port, with no mirror sync (its
 * upstream would be this machine's apt sources, which a benchmark does not reach).
 */
final class ServeProcess implements AutoCloseable {
    final Process process;
    final int port;
    final String base;
    private final Path log;

    private ServeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
        this.log = log;
    }

    /** Starts {@code jar} on {@code config} and {@code data}, with {@code options} after serve's own. */
    static ServeProcess start(Path jar, Path config, Path data, Path log, String... options) throws IOException {
        return start(jar, "2g", config, data, log, options);
    }

    /** The same, with a heap of at most {@code heap} ({@code -Xmx}). */
    static ServeProcess start(Path jar, String heap, Path config, Path data, Path log, String... options) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + heap));
        // -Ddemi.serve.jvm="..." adds options to the server's JVM: a profiler's, say.
        String jvm = System.getProperty("demi.serve.jvm", "").strip();
        if (!jvm.isEmpty()) {
            cmd.addAll(List.of(jvm.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "--data",
                data.toString(), "serve", "--listen", "127.0.0.1:" + port, "--sync-interval", "0"));
        if (knows(jar, "--advisories-interval")) {
            cmd.addAll(List.of("--advisories-interval", "0")); // nor the tracker's lists: a benchmark reaches only this machine
        }
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServeProcess(p, port, log);
    }

    /** Whether {@code jar}'s serve takes {@code option} (an older jar, run side by side, may not). */
    private static boolean knows(Path jar, String option) throws IOException {
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "serve", "--help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return help.contains(option);
    }

    /** The admin password the first run prints, once the server is up. */
    String firstRunPassword() throws Exception {
        return PushLoad.awaitFirstPassword(log, process);
    }

    /** The CPU time the server has used so far, user and system, in seconds (from /proc). */
    double cpuSeconds() throws IOException {
        return cpuSeconds(Path.of("/proc/" + process.pid() + "/stat"));
    }

    /** User and system time from a process's or a thread's {@code stat} file, in seconds. */
    private static double cpuSeconds(Path stat) throws IOException {
        String[] fields = Files.readString(stat).replaceFirst(".*\\) ", "").split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /**
     * The CPU time the server's JIT compiler threads have used so far, in seconds (from /proc;
     * the JVM's own figure for it is the threads' elapsed time, which counts their waits for a
     * core). A compiler thread the JVM stopped meanwhile (it starts more when its queue is long)
     * takes its time with it.
     */
    double compilingSeconds() throws IOException {
        double seconds = 0;
        try (java.util.stream.Stream<Path> threads = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        seconds += cpuSeconds(t.resolve("stat"));
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a thread that ended while listed: nothing left to count
                }
            }
        }
        return seconds;
    }

    /**
     * Waits until the server uses under a twentieth of a core over five seconds, or {@code limit}
     * passed; its CPU seconds then.
     */
    double quiet(java.time.Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        double before = cpuSeconds();
        while (true) {
            Thread.sleep(5000);
            double now = cpuSeconds();
            if (now - before < 0.25 || System.nanoTime() > deadline) {
                return now;
            }
            before = now;
        }
    }

    /** The server's peak resident memory so far, as /proc says it ("8612345 kB"). */
    String peakResident() throws IOException {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .findFirst().orElse("VmHWM: ?").substring(6).strip().replaceAll("\\s+", " ");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Removes a benchmark's temporary directory. */
    static void delete(Path tmp) throws IOException {
        try (var walk = Files.walk(tmp)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
