package org.demi.compliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    @TempDir
    Path tmp;

    static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    /** Runs client/demi-inventory with dash, on a fixture host's files. */
    static byte[] client(String host, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("dash", Path.of("../client/demi-inventory").toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DEMI_INVENTORY_STATUS", Fixtures.path("hosts/" + host + "/status").toString());
        pb.environment().put("DEMI_INVENTORY_OS_RELEASE", Fixtures.path("hosts/" + host + "/os-release").toString());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void theClientsStreamAndChecksumAreWhatTheServerReads() throws Exception {
        byte[] stream = client("bookworm-dev", Map.of());
        Inventory inv = InventoryReader.read(new ByteArrayInputStream(stream));
        assertThat(inv.statusBytes()).isEqualTo(Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/status")));
        assertThat(inv.osReleaseBytes()).isEqualTo(Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/os-release")));
        // Parsed once, as read: the entries are the status file's stanzas, the os-release its fields.
        assertThat(inv.entries()).hasSize((int) Files.readAllLines(Fixtures.path("hosts/bookworm-dev/status")).stream()
                .filter(l -> l.startsWith("Package: ")).count());
        assertThat(inv.osRelease().versionCodename()).hasValue("bookworm");
        String checksum = new String(client("bookworm-dev", Map.of(), "--checksum"), StandardCharsets.US_ASCII).strip();
        assertThat(checksum).isEqualTo(inv.checksum());
        // As a forced command, the mode comes from what the server asked for.
        assertThat(new String(client("bookworm-dev", Map.of("SSH_ORIGINAL_COMMAND", "demi-inventory --checksum")),
                StandardCharsets.US_ASCII).strip()).isEqualTo(checksum);
        assertThat(InventoryReader.read(new ByteArrayInputStream(client("bookworm-dev",
                Map.of("SSH_ORIGINAL_COMMAND", "demi-inventory")))).checksum()).isEqualTo(checksum);
        // One round trip for the server's sweep: a short line when unchanged, the stream otherwise.
        assertThat(new String(client("bookworm-dev", Map.of("SSH_ORIGINAL_COMMAND", "demi-inventory --if-changed " + checksum)),
                StandardCharsets.US_ASCII)).isEqualTo("unchanged " + checksum + "\n");
        assertThat(InventoryReader.read(new ByteArrayInputStream(client("bookworm-dev",
                Map.of("SSH_ORIGINAL_COMMAND", "demi-inventory --if-changed " + "0".repeat(64))))).checksum()).isEqualTo(checksum);
    }

    @Test
    void theClientRefusesAnyOtherCommand() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("dash", "../client/demi-inventory");
        pb.environment().put("SSH_ORIGINAL_COMMAND", "cat /etc/shadow");
        Process p = pb.start();
        assertThat(p.getInputStream().readAllBytes()).isEmpty();
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("unknown request 'cat /etc/shadow'");
        assertThat(p.waitFor()).isEqualTo(2);
        for (String bad : List.of("demi-inventory --if-changed $(reboot)", "demi-inventory --if-changed abc",
                "demi-inventory --checksum; reboot")) {
            ProcessBuilder b = new ProcessBuilder("dash", "../client/demi-inventory");
            b.environment().put("SSH_ORIGINAL_COMMAND", bad);
            Process q = b.start();
            assertThat(q.getInputStream().readAllBytes()).as(bad).isEmpty();
            assertThat(q.waitFor()).as(bad).isEqualTo(2);
        }
    }

    @Test
    void badStreamsAreRefusedWithTheReason() throws Exception {
        // A frame as demi-inventory writes it, around an os-release and an empty status: the
        // framing is checked, and refused, before either file is parsed.
        String os = "ID=debian\n";
        byte[] frame = ("Demi-Inventory: 1\nOs-Release-Size: " + os.length() + "\nOs-Release-SHA256: "
                + Inventory.sha256(os.getBytes(StandardCharsets.UTF_8)) + "\nStatus-Size: 0\nStatus-SHA256: "
                + Inventory.sha256(new byte[0]) + "\n\n" + os).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(gzip(frame))).isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("status: no installed package");
        assertThatThrownBy(() -> read("<html><body>Login</body></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InventoryException.class).hasMessageStartingWith("not a gzip stream");
        assertThatThrownBy(() -> read(gzip("<html>\n\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessage("does not start with 'Demi-Inventory: 1'");
        byte[] whole = gzip(frame);
        assertThatThrownBy(() -> read(Arrays.copyOf(whole, whole.length - 12)))
                .hasMessageStartingWith("corrupt or truncated gzip stream");
        String text = new String(frame, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(gzip(text.replace("ID=debian", "ID=evilyy").getBytes(StandardCharsets.UTF_8))))
                .hasMessageStartingWith("Os-Release SHA256 is ");
        assertThatThrownBy(() -> read(gzip((text + "extra").getBytes(StandardCharsets.UTF_8))))
                .hasMessage("data after the status file");
        assertThatThrownBy(() -> read(gzip(text.replaceFirst("Status-Size: 0", "Status-Size: 99999999999")
                .getBytes(StandardCharsets.UTF_8)))).hasMessageContaining("Status is 99999999999 bytes; at most");
        // A gzip bomb: a valid header, then far more status than it declares.
        byte[] bomb = new byte[80 << 20];
        byte[] header = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(header, 0, bomb, 0, header.length);
        assertThatThrownBy(() -> read(gzip(bomb))).hasMessage("data after the status file");
    }

    /**
     * A host that wants to look clean: an empty status file would be judged compliant with no
     * package, and a second stanza of a package could hide the vulnerable one. Both are refused
     * with the reason, and the host keeps its previous inventory.
     */
    @Test
    void aStatusFileNoDpkgWouldWriteIsRefused() throws Exception {
        byte[] os = "ID=debian\nVERSION_CODENAME=bookworm\n".getBytes(StandardCharsets.UTF_8);
        String real = Files.readString(Fixtures.path("hosts/bookworm-minbase/status"));
        InventoryStore store = new InventoryStore(tmp, Clock.systemUTC());
        Inventory good = Inventory.of(os, real.getBytes(StandardCharsets.UTF_8));
        store.accept("web1", "push", good);

        String notInstalled = "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0-1\n";
        assertThatThrownBy(() -> Inventory.of(os, notInstalled.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InventoryException.class).hasMessage("status: no installed package (1 stanzas); "
                        + "an empty or truncated dpkg status file is refused");
        String first = real.substring(0, real.indexOf("\n\n") + 2);
        String twice = real + "\n" + first;
        String name = first.lines().filter(l -> l.startsWith("Package: ")).findFirst().orElseThrow().substring(9);
        assertThatThrownBy(() -> Inventory.of(os, twice.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InventoryException.class).hasMessageContaining("package " + name + " (").hasMessageContaining("appears twice");
        // The same package for another architecture (multi-arch) is no duplicate.
        String otherArch = real + "\n" + first.replaceFirst("Architecture: \\S+", "Architecture: i386");
        assertThat(Inventory.of(os, otherArch.getBytes(StandardCharsets.UTF_8)).entries()).hasSize(good.entries().size() + 1);
        assertThat(store.latest("web1").orElseThrow().inventory().checksum()).isEqualTo(good.checksum());
    }

    /**
     * A host whose installed packages fall by more than half from one inventory to the next is
     * stored (it may have been rebuilt) but flagged in its history, which its page shows; a
     * smaller drop is not.
     */
    @Test
    void aHostWhosePackagesFallByMoreThanHalfIsFlagged() throws Exception {
        byte[] os = "ID=debian\nVERSION_CODENAME=bookworm\n".getBytes(StandardCharsets.UTF_8);
        String real = Files.readString(Fixtures.path("hosts/bookworm-minbase/status"));
        InventoryStore store = new InventoryStore(tmp, Clock.systemUTC());
        Inventory full = Inventory.of(os, real.getBytes(StandardCharsets.UTF_8));
        String[] stanzas = real.split("\n\n");
        String half = String.join("\n\n", java.util.Arrays.copyOf(stanzas, stanzas.length / 2 + 1)) + "\n";
        String few = String.join("\n\n", java.util.Arrays.copyOf(stanzas, 10)) + "\n";
        Inventory halfOf = Inventory.of(os, half.getBytes(StandardCharsets.UTF_8));
        Inventory fewOf = Inventory.of(os, few.getBytes(StandardCharsets.UTF_8));
        assertThat(store.accept("web1", "push", full).detail()).isEmpty();
        assertThat(store.accept("web1", "push", halfOf).detail()).as("about half is not more than half").isEmpty();
        HistoryEntry shrunk = store.accept("web1", "push", fewOf);
        assertThat(shrunk.outcome()).isEqualTo(Outcome.STORED);
        assertThat(shrunk.detail()).isEqualTo("installed packages fell from " + halfOf.installedCount() + " to "
                + fewOf.installedCount() + ", by more than half: unless web1 was rebuilt or pruned, it may be reporting falsely");
        assertThat(store.history("web1").get(2).detail()).isEqualTo(shrunk.detail());

        // After a restart the previous inventory's count is read back from disk, with the same outcome.
        assertThat(store.accept("web2", "push", full).detail()).isEmpty();
        InventoryStore restarted = new InventoryStore(tmp, Clock.systemUTC());
        assertThat(restarted.accept("web2", "push", fewOf).detail()).startsWith("installed packages fell from "
                + full.installedCount() + " to " + fewOf.installedCount());
        // And a store that kept a count compares with the host's latest, not with the one it kept:
        // here another process stored web1's full inventory since.
        new InventoryStore(tmp, Clock.systemUTC()).accept("web1", "push", full);
        assertThat(store.accept("web1", "push", fewOf).detail()).startsWith("installed packages fell from " + full.installedCount());
        assertThat(store.latest("web1").orElseThrow().inventory()).isEqualTo(fewOf);
    }

    /**
     * The inventory just stored is handed back without reading it again, but only while its
     * file is as it was written: a file damaged since (here, bytes appended) is read, and
     * refused as not matching its name, by the same store.
     */
    @Test
    void aStoredInventoryDamagedOnDiskIsRefusedEvenJustAfterStoring() throws Exception {
        InventoryStore store = new InventoryStore(tmp, Clock.systemUTC());
        Inventory inv = Inventory.of(Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/os-release")),
                Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/status")));
        store.accept("web1", "push", inv);
        assertThat(store.latest("web1").orElseThrow().inventory()).isEqualTo(inv);
        Path file = tmp.resolve("hosts/web1/inventory/" + inv.checksum() + ".gz");
        byte[] good = Files.readAllBytes(file);
        Files.write(file, good, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> store.latest("web1")).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(inv.checksum() + ".gz");
        Files.write(file, good);
        assertThat(store.inventory("web1", inv.checksum())).isEqualTo(inv);
    }

    /**
     * A host is never lost over one odd version: a signed epoch is read as dpkg reads it (strtol),
     * and a version dpkg only warns about is kept; both as the real dpkg-query prints them. Before,
     * {@code Version: +1:2.0-1} rejected the whole inventory and the host went stale.
     */
    @Test
    void oddVersionsAreReadAsDpkgQueryReadsThem() throws Exception {
        String status = Files.readString(Fixtures.path("hosts/bookworm-minbase/status"))
                + "\nPackage: odd\nStatus: install ok installed\nMaintainer: x <x@example.org>\nArchitecture: all\nVersion: +1:2.0-1\n"
                + "Description: x\n\nPackage: weird\nStatus: install ok installed\nMaintainer: x <x@example.org>\nArchitecture: all\n"
                + "Version: 1.0_1\nDescription: y\n";
        Inventory inv = Inventory.of("ID=debian\nVERSION_CODENAME=bookworm\n".getBytes(StandardCharsets.UTF_8),
                status.getBytes(StandardCharsets.UTF_8));
        java.util.Map<String, String> ours = new java.util.HashMap<>();
        inv.entries().forEach(e -> ours.put(e.packageName(), e.version().toString()));
        Path admin = tmp.resolve("admindir");
        Files.createDirectories(admin);
        Files.writeString(admin.resolve("status"), status);
        Files.writeString(admin.resolve("available"), "");
        Process p = new ProcessBuilder("dpkg-query", "--admindir=" + admin, "-W", "-f", "${Package} ${Version}\n", "odd", "weird")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dpkgQuery = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(dpkgQuery).isEqualTo("odd 1:2.0-1\nweird 1.0_1\n");
        assertThat(ours).containsEntry("odd", "1:2.0-1").containsEntry("weird", "1.0_1");
    }

    private static Inventory read(byte[] b) throws Exception {
        return InventoryReader.read(new ByteArrayInputStream(b));
    }

    @Test
    void storedOnceWithAHistoryAnAuditorCanReplay() throws Exception {
        Instant day1 = Instant.parse("2026-11-01T08:00:00Z");
        MutableClock clock = new MutableClock(day1);
        InventoryStore store = new InventoryStore(tmp, clock);
        Inventory v1 = InventoryReader.read(new ByteArrayInputStream(client("bullseye-minbase", Map.of())));
        assertThat(store.accept("web1", "ssh", v1).outcome()).isEqualTo(Outcome.STORED);
        clock.set(day1.plus(Duration.ofDays(1)));
        assertThat(store.accept("web1", "ssh", v1).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(store.confirmUnchanged("web1", "ssh", v1.checksum())).isPresent();
        assertThat(store.confirmUnchanged("web1", "ssh", "0".repeat(64))).isEmpty();

        clock.set(day1.plus(Duration.ofDays(2)));
        // A status file that does not parse never becomes an inventory; the collector records why.
        assertThatThrownBy(() -> Inventory.of(v1.osReleaseBytes(),
                "Package: xy\nStatus: install ok installed\n\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InventoryException.class).hasMessageContaining("Version");
        store.fail("web1", "push", Outcome.REJECTED, "status: no Version");
        clock.set(day1.plus(Duration.ofDays(3)));
        store.fail("web1", "ssh", Outcome.UNREACHABLE, "connect timed out\nafter 10 s");
        clock.set(day1.plus(Duration.ofDays(4)));
        Inventory v2 = Inventory.of(v1.osReleaseBytes(), Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/status")));
        store.accept("web1", "ssh", v2);

        assertThat(store.history("web1")).extracting(e -> e.outcome().word() + " " + e.method()).containsExactly(
                "stored ssh", "unchanged ssh", "unchanged ssh", "rejected push", "unreachable ssh", "stored ssh");
        assertThat(store.history("web1").get(4).detail()).isEqualTo("connect timed out after 10 s");
        // The rejected and the unreachable days kept the first inventory; it changed on day 5.
        assertThat(store.at("web1", day1.plus(Duration.ofDays(3)).plusSeconds(5)).orElseThrow().inventory().checksum())
                .isEqualTo(v1.checksum());
        assertThat(store.latest("web1").orElseThrow().inventory().checksum()).isEqualTo(v2.checksum());
        assertThat(store.at("web1", day1.minusSeconds(1))).isEmpty();
        try (var files = Files.list(tmp.resolve("hosts/web1/inventory"))) {
            assertThat(files.toList()).hasSize(2);
        }
        assertThat(store.hosts()).containsExactly("web1");
    }

    /**
     * A push and a sweep that bring the same new inventory at once: one of them stores it, the
     * others find it unchanged, so the history says "stored" exactly once; and the listener hears
     * of every attempt. Without the host's lock, each would read "not stored yet" and append its
     * own "stored".
     */
    @Test
    void concurrentAttemptsForOneHostAreSerialised() throws Exception {
        java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
        InventoryStore store = new InventoryStore(tmp, Clock.systemUTC(), host -> heard.incrementAndGet());
        Inventory inv = Inventory.of("ID=debian\n".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/status")));
        int threads = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String host = "race" + round;
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<HistoryEntry>> attempts = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    attempts.add(pool.submit(() -> {
                        go.await();
                        return store.accept(host, "push", inv);
                    }));
                }
                go.countDown();
                for (var a : attempts) {
                    a.get();
                }
                assertThat(store.history(host)).extracting(HistoryEntry::outcome)
                        .containsOnlyOnce(Outcome.STORED).hasSize(threads).doesNotContain(Outcome.REJECTED);
                assertThat(store.history(host).get(0).outcome()).isEqualTo(Outcome.STORED);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(heard.get()).isEqualTo(10 * threads);
    }

    @Test
    void aTornHistoryLineIsSkippedAndTheNextEntryStandsAlone() throws Exception {
        InventoryStore store = new InventoryStore(tmp, Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC));
        store.fail("db1", "ssh", Outcome.REFUSED, "host key changed");
        Files.writeString(tmp.resolve("hosts/db1/history"), "2026-11-02T00:00:00Z\tssh\t-\tunr", java.nio.file.StandardOpenOption.APPEND);
        store.fail("db1", "ssh", Outcome.UNREACHABLE, "no route");
        assertThat(store.history("db1")).extracting(HistoryEntry::detail).containsExactly("host key changed", "no route");
    }

    @Test
    void theLatestEntriesAreReadFromTheEndOfALongLog() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InventoryStore store = new InventoryStore(tmp, clock);
        assertThat(store.lastEntry("far")).isEmpty();
        assertThat(store.lastGood("far")).isEmpty();
        Inventory v1 = Inventory.of("ID=debian\n".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/status")));
        store.accept("far", "push", v1);
        // Hundreds of failures with long details after it: the good entry lies many 8 KB chunks back.
        for (int i = 0; i < 300; i++) {
            clock.advance(Duration.ofHours(1));
            store.fail("far", "ssh", Outcome.UNREACHABLE, "attempt " + i + " " + "x".repeat(i % 7 * 70));
        }
        Files.writeString(tmp.resolve("hosts/far/history"), "2026-02-01T00:00:00Z\tssh\t-\tunrea",
                java.nio.file.StandardOpenOption.APPEND);
        List<HistoryEntry> all = store.history("far");
        assertThat(store.lastEntry("far")).hasValue(all.get(all.size() - 1));
        assertThat(store.lastEntry("far").orElseThrow().detail()).startsWith("attempt 299 ");
        assertThat(store.lastGood("far")).hasValue(all.get(0));
        assertThat(store.latest("far").orElseThrow().inventory().checksum()).isEqualTo(v1.checksum());
        assertThat(store.confirmUnchanged("far", "ssh", v1.checksum())).isPresent();
        assertThat(store.lastEntry("far").orElseThrow().outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void hostNamesCannotLeaveTheHostsDirectory() {
        for (String bad : List.of("../etc", "a/b", "", ".hidden", "x y")) {
            assertThatThrownBy(() -> InventoryStore.checkHost(bad)).isInstanceOf(org.demi.deb.BadInputException.class);
        }
        assertThat(InventoryStore.checkHost("web-1.example.org")).isEqualTo("web-1.example.org");
    }
}
