package org.demi.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What judging every host again costs a server over a kept fleet (the directory {@code FleetLoad}
 * or {@code HourlySweep} kept): new advisories arrive while the server is stopped, one DSA for a
 * package in bookworm, and the server starts and judges every host by them. Printed per run: the
 * time from the start until the server is quiet (and still is 20 s later), its CPU then, its peak
 * resident memory.
 *
 * <p>Usage: {@code JudgeAgain FLEET_DIR PACKAGE=FIXED_VERSION JAR [REFERENCE_JAR]}. {@code JAR}
 * runs twice: first to bring the index to its own documents (whatever an earlier build wrote is
 * rewritten: not a figure to compare), then measured. {@code REFERENCE_JAR}, if given, runs
 * third, measured the same way. Each run brings an advisory of its own (another id, the same
 * package and version), so each judges every host again. A package no host has
 * ({@code nosuchpackage=1.0-1}) measures judging alone; one most hosts have, with a version above
 * theirs ({@code gzip=1.12-1+deb12u1}), measures a judgement that rewrites most of them. The
 * fleet's DSA list is put back as it was at the end.
 */
public final class JudgeAgain {
    private JudgeAgain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !args[1].contains("=")) {
            System.err.println("usage: JudgeAgain FLEET_DIR PACKAGE=FIXED_VERSION JAR [REFERENCE_JAR]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String pkg = args[1].substring(0, args[1].indexOf('='));
        String fixed = args[1].substring(args[1].indexOf('=') + 1);
        Path config = dir.resolve("etc");
        Path data = dir.resolve("data");
        Path list = data.resolve("advisories/DSA-list");
        if (!Files.isRegularFile(list) || !Files.isRegularFile(config.resolve("hosts"))) {
            System.err.println("JudgeAgain: " + dir + " is not a fleet FleetLoad or HourlySweep kept (no etc/hosts and"
                    + " data/advisories/DSA-list in it)");
            System.exit(2);
        }
        for (int i = 2; i < args.length; i++) {
            if (!Files.isRegularFile(Path.of(args[i]))) {
                System.err.println("JudgeAgain: " + args[i] + ": no such Demi jar");
                System.exit(2);
            }
        }
        byte[] before = Files.readAllBytes(list);
        try {
            run("prime", Path.of(args[2]), config, data, list, before, pkg, fixed, 1);
            run("measured", Path.of(args[2]), config, data, list, before, pkg, fixed, 2);
            if (args.length > 3) {
                run("reference", Path.of(args[3]), config, data, list, before, pkg, fixed, 3);
            }
        } finally {
            Files.write(list, before);
        }
    }

    private static void run(String what, Path jar, Path config, Path data, Path list, byte[] before, String pkg, String fixed, int n)
            throws Exception {
        // Each run's advisory differs from the one the run before it judged by (or from none, the list as kept).
        int id = 9990 + n;
        String advisory = "[02 Dec 2026] DSA-" + id + "-1 " + pkg + " - security update\n\t{CVE-2026-9" + id + "}\n\t[bookworm] - "
                + pkg + " " + fixed + "\n";
        Files.write(list, advisory.getBytes(StandardCharsets.UTF_8));
        Files.write(list, before, java.nio.file.StandardOpenOption.APPEND);
        long started = System.nanoTime();
        ServeProcess server = ServeProcess.start(jar, "8g", config, data, data.resolveSibling("judge-again.log"), "--collect-interval", "0");
        try {
            // Quiet, and still quiet 20 s later: a pause between a judgement's writes and Lucene's
            // merges after them is not the end.
            double cpu = server.quiet(Duration.ofMinutes(90));
            double wall = (System.nanoTime() - started) / 1e9 - 5; // less the quiet window itself
            Thread.sleep(20_000);
            while (server.cpuSeconds() - cpu > 0.5) {
                cpu = server.quiet(Duration.ofMinutes(90));
                wall = (System.nanoTime() - started) / 1e9 - 5;
                Thread.sleep(20_000);
            }
            System.out.printf("%-9s %s: DSA-%d-1 for %s %s; quiet %.0f s after the start, CPU %.0f s, peak resident memory %s%n", what,
                    jar.getFileName(), id, pkg, fixed, wall, cpu, server.peakResident());
        } finally {
            server.close();
        }
    }
}
