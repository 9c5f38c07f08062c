package org.demi.compliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.demi.compliance.collect.LocalCollector;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running system in the inventory: demi-inventory reports this machine's kernel exactly as
 * uname prints it, its boot time, the reboot flag, and needrestart's real batch output; the
 * server reads it back, still takes the frame of a demi-inventory that sends none, and refuses
 * a part that holds what it cannot.
 */
class RunningSystemTest {
    @TempDir
    Path tmp;

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
        return out;
    }

    static Inventory inventory(Map<String, String> env) throws Exception {
        return InventoryReader.read(new ByteArrayInputStream(InventoryTest.client("bookworm-dev", env)));
    }

    @Test
    void thisMachinesKernelAsUnamePrintsItAndNeedrestartsRealReport() throws Exception {
        Inventory inventory = inventory(Map.of());
        RunningSystem r = inventory.running().orElseThrow();
        assertThat(r.kernelRelease()).isEqualTo(run("uname", "-r").strip());
        assertThat(r.kernelVersion()).isEqualTo(run("uname", "-v").strip());
        String btime = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("btime ")).findFirst().orElseThrow();
        assertThat(r.bootTime()).hasValue(Instant.ofEpochSecond(Long.parseLong(btime.substring(6).strip())));
        assertThat(r.rebootRequired()).isEqualTo(Files.exists(Path.of("/run/reboot-required")));
        // needrestart is installed for the tests: its own batch report, as it printed it just now.
        assertThat(Path.of("/usr/sbin/needrestart")).isExecutable();
        String report = run("/usr/sbin/needrestart", "-b");
        String ksta = report.lines().filter(l -> l.startsWith("NEEDRESTART-KSTA: ")).findFirst().orElseThrow();
        assertThat(r.needrestartKernel()).hasValue(Integer.parseInt(ksta.substring("NEEDRESTART-KSTA: ".length()).strip()));
        assertThat(r.servicesToRestart()).containsExactlyInAnyOrderElementsOf(report.lines()
                .filter(l -> l.startsWith("NEEDRESTART-SVC: ")).map(l -> l.substring("NEEDRESTART-SVC: ".length()).strip()).toList());
        // The checksum demi-inventory prints covers these parts too.
        assertThat(new String(InventoryTest.client("bookworm-dev", Map.of(), "--checksum"), StandardCharsets.US_ASCII).strip())
                .isEqualTo(inventory.checksum());
    }

    /**
     * The reboot flag as Debian's kernel hooks leave it (unattended-upgrades' postinst.d hook
     * writes "*** System restart required ***" and appends the package), a needrestart that
     * names services and a newer kernel (its batch format, for a host where a kernel upgrade
     * is pending), and this machine's kernel files.
     */
    @Test
    void aHostThatMustRebootAndRestartServices() throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(runDir.resolve("reboot-required"), "*** System restart required ***\n");
        Files.writeString(runDir.resolve("reboot-required.pkgs"), "linux-image-6.1.0-28-amd64\nlibssl3\nlinux-image-6.1.0-28-amd64\n");
        Path needrestart = tmp.resolve("needrestart");
        Files.writeString(needrestart, """
                #!/bin/sh
                cat <<'EOF'
                NEEDRESTART-VER: 3.6
                NEEDRESTART-KCUR: 6.1.0-18-amd64
                NEEDRESTART-KEXP: 6.1.0-28-amd64
                NEEDRESTART-KSTA: 3
                NEEDRESTART-SVC: ssh.service
                NEEDRESTART-SVC: cron.service
                NEEDRESTART-SESS: alice @ session #3
                EOF
                """);
        needrestart.toFile().setExecutable(true);
        RunningSystem r = inventory(Map.of("DEMI_INVENTORY_RUN", runDir.toString(), "DEMI_INVENTORY_NEEDRESTART", needrestart.toString()))
                .running().orElseThrow();
        assertThat(r.rebootRequired()).isTrue();
        assertThat(r.rebootRequiredPackages()).containsExactly("libssl3", "linux-image-6.1.0-28-amd64");
        assertThat(r.needrestartKernel()).hasValue(3);
        assertThat(r.needrestartExpectedKernel()).hasValue("6.1.0-28-amd64");
        assertThat(r.servicesToRestart()).containsExactly("cron.service", "ssh.service");
    }

    /**
     * needrestart's own report of a pending kernel upgrade, sent by demi-inventory. In a mount
     * namespace of their own, /boot holds two kernel images as needrestart reads an x86 image's
     * version (the string the setup header's {@code kernel_version} field at 0x20e points to,
     * past 0x200): one with this machine's running release and version, and one of a later
     * release. needrestart then expects the later one (KSTA 3) and the inventory carries it; with
     * the running release's image alone but built differently (another {@code uname -v}), it
     * sees an ABI-compatible upgrade (KSTA 2). The machine's own /boot is never touched.
     */
    @Test
    void needrestartsRealReportOfAPendingKernelUpgrade() throws Exception {
        String release = run("uname", "-r").strip();
        String version = run("uname", "-v").strip();
        String later = (Integer.parseInt(release.replaceAll("[^0-9].*", "")) + 1) + ".0.0-1-amd64";
        Path running = image(tmp.resolve("vmlinuz-" + release), release + " (builder@example.org) " + version);
        Path newer = image(tmp.resolve("vmlinuz-" + later), later + " (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian "
                + later.replace("-amd64", "") + " (2026-11-02)");
        RunningSystem upgrade = inventoryWithBoot(running, newer).running().orElseThrow();
        assertThat(upgrade.needrestartKernel()).hasValue(3);
        assertThat(upgrade.needrestartExpectedKernel()).hasValue(later);

        Path rebuilt = image(tmp.resolve("rebuilt/vmlinuz-" + release), release + " (builder@example.org) #2 SMP PREEMPT_DYNAMIC later");
        RunningSystem abi = inventoryWithBoot(rebuilt).running().orElseThrow();
        assertThat(abi.needrestartKernel()).hasValue(2);
    }

    /** A file needrestart takes for an x86 kernel image of this version (it skips images under 1,000,000 bytes). */
    static Path image(Path file, String version) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(0x20e, (short) (0x1000 - 0x200));
        b.put(0x1000, version.getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(file.getParent());
        return Files.write(file, b.array());
    }

    /** demi-inventory's frame, run where /boot is a fresh tmpfs holding these images. */
    static Inventory inventoryWithBoot(Path... images) throws Exception {
        StringBuilder copy = new StringBuilder();
        for (Path i : images) {
            copy.append(" '").append(i).append("'");
        }
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs demi-test-boot /boot && cp" + copy + " /boot/ && exec dash ../client/demi-inventory");
        pb.environment().put("DEMI_INVENTORY_STATUS", Fixtures.path("hosts/bookworm-dev/status").toString());
        pb.environment().put("DEMI_INVENTORY_OS_RELEASE", Fixtures.path("hosts/bookworm-dev/os-release").toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as("demi-inventory in a mount namespace").isZero();
        return InventoryReader.read(new ByteArrayInputStream(out));
    }

    /** A host that was not upgraded sends the frame it always sent: read as before, same checksum. */
    @Test
    void theFrameOfAnOlderDemiInventoryIsStillRead() throws Exception {
        byte[] os = Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/os-release"));
        byte[] status = Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/status"));
        Inventory old = Inventory.of(os, status);
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        old.writeFrame(frame);
        assertThat(new String(frame.toByteArray(), StandardCharsets.US_ASCII)).doesNotContain("Running-Size");
        Inventory read = InventoryReader.read(new ByteArrayInputStream(InventoryTest.gzip(frame.toByteArray())));
        assertThat(read.checksum()).isEqualTo(old.checksum());
        assertThat(read.running()).isEmpty();
        assertThat(read.statusBytes()).isEqualTo(status);
        // With the parts, the files themselves are still what the host sent.
        Inventory newer = Inventory.of(os, status, "Kernel-Release: 6.1.0-18-amd64\nKernel-Version: #1 SMP\nReboot-Required: no\n"
                .getBytes(StandardCharsets.US_ASCII), null);
        assertThat(newer.statusBytes()).isEqualTo(status);
        assertThat(newer.osReleaseBytes()).isEqualTo(os);
        assertThat(newer.checksum()).isNotEqualTo(old.checksum());
    }

    @Test
    void aPartThatHoldsWhatItCannotIsRefusedWithTheReason() throws Exception {
        byte[] os = Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/os-release"));
        byte[] status = Files.readAllBytes(Fixtures.path("hosts/bookworm-dev/status"));
        String good = "Kernel-Release: 6.1.0-18-amd64\nKernel-Version: #1 SMP\nReboot-Required: no\n";
        Map<String, String> bad = Map.of(
                "Kernel-Release: 6.1.0; rm -rf /\nKernel-Version: x\nReboot-Required: no\n", "Kernel-Release holds what it cannot",
                "Kernel-Version: x\nReboot-Required: no\n", "no Kernel-Release",
                good + "Boot-Time: soon\n", "Boot-Time is not seconds",
                good + "Reboot-Required: yes\n", "Reboot-Required appears twice",
                "Kernel-Release: 6.1.0-18-amd64\nKernel-Version: #1 SMP\nReboot-Required: maybe\n", "Reboot-Required holds what it cannot",
                good + "Reboot-Required-Packages: libssl3 $(reboot)\n", "not a name",
                good + "Kernel-Release\n", "not 'Name: value'");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertThatThrownBy(() -> Inventory.of(os, status, e.getKey().getBytes(StandardCharsets.UTF_8), null))
                    .as(e.getKey()).isInstanceOf(InventoryException.class).hasMessageContaining(e.getValue());
        }
        assertThatThrownBy(() -> Inventory.of(os, status, good.getBytes(StandardCharsets.US_ASCII),
                "NEEDRESTART-KSTA: 7\n".getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("NEEDRESTART-KSTA is 0 to 3");
        assertThatThrownBy(() -> Inventory.of(os, status, null, "NEEDRESTART-KSTA: 1\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("without a Running part");
        // A part larger than any real one is refused before it is read.
        byte[] huge = ("Kernel-Release: 6.1\nKernel-Version: " + "x".repeat(RunningSystem.MAX_BYTES) + "\nReboot-Required: no\n")
                .getBytes(StandardCharsets.US_ASCII);
        String header = Inventory.MAGIC + "\nOs-Release-Size: " + os.length + "\nOs-Release-SHA256: " + Inventory.sha256(os)
                + "\nStatus-Size: " + status.length + "\nStatus-SHA256: " + Inventory.sha256(status) + "\nRunning-Size: " + huge.length
                + "\nRunning-SHA256: " + Inventory.sha256(huge) + "\n\n";
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(os);
        frame.writeBytes(status);
        frame.writeBytes(huge);
        assertThatThrownBy(() -> InventoryReader.read(new ByteArrayInputStream(InventoryTest.gzip(frame.toByteArray()))))
                .hasMessageContaining("Running is " + huge.length + " bytes");
    }

    /** The machine Demi runs on: its kernel files and reboot flag, read from its root. */
    @Test
    void theLocalHostsRunningSystemIsReadFromItsRoot() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(root.resolve("etc"));
        Files.copy(Fixtures.path("hosts/bookworm-dev/status"), root.resolve("var/lib/dpkg/status"));
        Files.copy(Fixtures.path("hosts/bookworm-dev/os-release"), root.resolve("etc/os-release"));
        Path kernel = Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.copy(Path.of("/proc/sys/kernel/osrelease"), kernel.resolve("osrelease"));
        Files.copy(Path.of("/proc/sys/kernel/version"), kernel.resolve("version"));
        Files.writeString(root.resolve("proc/stat"), "cpu  1 2 3\nbtime 1764666000\nprocesses 42\n");
        Files.createDirectories(root.resolve("run"));
        Files.writeString(root.resolve("run/reboot-required"), "*** System restart required ***\n");
        InventoryStore store = new InventoryStore(tmp.resolve("data"), Clock.systemUTC());
        new LocalCollector(root).collect("here", store);
        RunningSystem r = store.latest("here").orElseThrow().inventory().running().orElseThrow();
        assertThat(r.kernelRelease()).isEqualTo(run("uname", "-r").strip());
        assertThat(r.bootTime()).hasValue(Instant.ofEpochSecond(1764666000));
        assertThat(r.rebootRequired()).isTrue();
        assertThat(r.rebootRequiredPackages()).isEqualTo(List.of());
    }
}
