package org.demi.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.demi.compliance.inventory.RunningSystem;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.version.Version;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel judged as the host runs it, against Debian's real bookworm and bookworm-security
 * indices, which hold the signed images {@code linux-image-6.1.0-47-amd64} 6.1.170-3 (source
 * {@code linux-signed-amd64 (6.1.170+3)}) up to {@code linux-image-6.1.0-56-amd64} 6.1.192-2, and
 * the meta-package {@code linux-image-amd64} at 6.1.192-2 in bookworm-security. The tracker lists
 * the kernel's flaws under {@code linux}:
 * <pre>
 * CVE-2026-2001  fixed in 6.1.171-1   after 6.1.170-3 (the -47 image), before 6.1.192-2 (the -56 image)
 * CVE-2026-2002  fixed in 6.1.160-1   before every image here
 * CVE-2026-2003  fixed in 6.1.195-1   beyond what the mirror offers
 * DSA-9100-1     fixes CVE-2026-2001 in linux 6.1.171-1
 * </pre>
 * A running kernel reads as {@code uname} prints it on Debian: {@code -r} the release,
 * {@code -v} "#1 SMP PREEMPT_DYNAMIC Debian VERSION (DATE)".
 */
class KernelTest {
    static final String TRACKER = """
            {"linux": {
              "CVE-2026-2001": {"scope": "local", "releases": {"bookworm": {"status": "resolved", "fixed_version": "6.1.171-1",
                                "urgency": "high"}}},
              "CVE-2026-2002": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "6.1.160-1", "urgency": "medium"}}},
              "CVE-2026-2003": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "6.1.195-1", "urgency": "medium"}}}
            }}
            """;
    static final String DSA = """
            [20 Nov 2026] DSA-9100-1 linux - security update
            \t{CVE-2026-2001}
            \t[bookworm] - linux 6.1.171-1
            """;
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    static Evaluator evaluator;

    @BeforeAll
    static void load() throws Exception {
        evaluator = CveAuditTest.bookworm(TRACKER, DSA);
    }

    /** dpkg at the mirror's version, and these packages ("name version source"), as dpkg records them. */
    static List<StatusEntry> status(String... packages) {
        StringBuilder s = new StringBuilder("""
                Package: dpkg
                Status: install ok installed
                Architecture: amd64
                Version: 1.21.23

                """);
        for (String p : packages) {
            String[] f = p.split(" ", 3);
            s.append("Package: ").append(f[0]).append("\nStatus: install ok installed\nArchitecture: amd64\nVersion: ").append(f[1])
                    .append('\n').append(f.length > 2 ? "Source: " + f[2] + "\n" : "").append('\n');
        }
        return StatusFile.parse(s.toString().getBytes(StandardCharsets.UTF_8), "status");
    }

    static final String IMAGE_47 = "linux-image-6.1.0-47-amd64 6.1.170-3 linux-signed-amd64 (6.1.170+3)";
    static final String IMAGE_56 = "linux-image-6.1.0-56-amd64 6.1.192-2 linux-signed-amd64 (6.1.192+2)";
    static final String META_56 = "linux-image-amd64 6.1.192-2 linux-signed-amd64 (6.1.192+2)";

    /** The Running part demi-inventory writes for a Debian kernel. */
    static Optional<RunningSystem> running(String release, String version, String extra) throws Exception {
        String part = "Kernel-Release: " + release + "\nKernel-Version: #1 SMP PREEMPT_DYNAMIC Debian " + version
                + " (2026-11-02)\nBoot-Time: 1764000000\n" + extra;
        if (!extra.contains("Reboot-Required:")) {
            part += "Reboot-Required: no\n";
        }
        return Optional.of(RunningSystem.parse(part.getBytes(StandardCharsets.US_ASCII), null));
    }

    static HostEvaluation evaluate(List<StatusEntry> status, Optional<RunningSystem> running) {
        return evaluator.evaluate("h", Optional.of("bookworm"), status, running);
    }

    static CveState state(HostEvaluation e, String cve) {
        return e.allCves().filter(c -> c.id().equals(cve)).findFirst().orElseThrow().state();
    }

    static Verdict verdict(HostEvaluation e) {
        return Verdict.of(Optional.of(e), Optional.empty(), Optional.of(NOW), NOW, Duration.ofHours(48));
    }

    @Test
    void aKernelInstalledButNotBootedFixesNothingYet() throws Exception {
        // The -56 image came with the meta-package, and the host still runs -47.
        HostEvaluation e = evaluate(status(IMAGE_47, IMAGE_56, META_56), running("6.1.0-47-amd64", "6.1.170-3", ""));
        HostKernel k = e.kernel().orElseThrow();
        assertThat(k.source()).as("the signed images' flaws are the tracker's linux").isEqualTo("linux");
        assertThat(k.flavour()).isEqualTo("amd64");
        assertThat(k.runningVersion()).hasValue(Version.parse("6.1.170-3"));
        assertThat(k.newestImage()).isEqualTo("linux-image-6.1.0-56-amd64");
        assertThat(k.behind()).isTrue();

        // 6.1.170-3 < 6.1.171-1 <= the installed 6.1.192-2: open until the host boots it.
        assertThat(state(e, "CVE-2026-2001")).isEqualTo(CveState.FIXED_PENDING_REBOOT);
        assertThat(CveState.FIXED_PENDING_REBOOT.open()).isTrue();
        assertThat(state(e, "CVE-2026-2002")).isEqualTo(CveState.FIXED);
        // 6.1.195-1 is beyond the mirror's newest kernel, 6.1.192-2.
        assertThat(state(e, "CVE-2026-2003")).isEqualTo(CveState.FIX_NOT_IN_MIRROR);
        HostCve c = e.allCves().filter(x -> x.id().equals("CVE-2026-2001")).findFirst().orElseThrow();
        assertThat(c.source()).isEqualTo("linux");
        assertThat(c.installedSourceVersion()).as("judged at the running kernel").isEqualTo(Version.parse("6.1.170-3"));
        assertThat(c.binaries()).containsExactly("linux-image-6.1.0-47-amd64:amd64", "linux-image-6.1.0-56-amd64:amd64",
                "linux-image-amd64:amd64");
        assertThat(c.advisories()).containsExactly("DSA-9100-1");

        // The DSA stays open on the running kernel; a reboot alone closes it.
        assertThat(e.openAdvisories()).extracting(OpenAdvisory::id).containsExactly("DSA-9100-1");
        assertThat(e.closedByReboot(e.openAdvisories().get(0))).isTrue();
        assertThat(e.compliant()).isFalse();
        assertThat(e.restarts().reboot()).containsExactly(
                "runs linux 6.1.170-3 (6.1.0-47-amd64); linux-image-6.1.0-56-amd64 6.1.192-2 is installed");
        assertThat(verdict(e)).isEqualTo(Verdict.REBOOT_REQUIRED);
        // The old image is what its name offers: no package of the kernel is "fix not in mirror".
        assertThat(e.packages()).allMatch(p -> p.state() == PackageState.CURRENT, "every package is the mirror's newest");
        PackageEvaluation old = e.packages().stream().filter(p -> p.packageName().equals("linux-image-6.1.0-47-amd64")).findFirst()
                .orElseThrow();
        assertThat(old.source().name()).isEqualTo("linux-signed-amd64");
        assertThat(old.judgedAs().name()).isEqualTo("linux");
        assertThat(old.advisories()).containsExactly("DSA-9100-1");
    }

    @Test
    void rebootedIntoTheNewestImageTheHostIsCompliant() throws Exception {
        HostEvaluation e = evaluate(status(IMAGE_47, IMAGE_56, META_56), running("6.1.0-56-amd64", "6.1.192-2", ""));
        assertThat(e.kernel().orElseThrow().behind()).isFalse();
        assertThat(state(e, "CVE-2026-2001")).isEqualTo(CveState.FIXED);
        assertThat(e.openAdvisories()).isEmpty();
        assertThat(e.restarts().rebootRequired()).isFalse();
        assertThat(verdict(e)).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void aKernelTheMirrorHasANewerImageOfIsFixAvailable() throws Exception {
        // Only -47 and its meta-package: apt-get upgrade from the mirror brings linux-image-amd64
        // 6.1.192-2 and its new image, whose package name the host has never had.
        HostEvaluation e = evaluate(status(IMAGE_47, "linux-image-amd64 6.1.170-3 linux-signed-amd64 (6.1.170+3)"),
                running("6.1.0-47-amd64", "6.1.170-3", ""));
        assertThat(state(e, "CVE-2026-2001")).isEqualTo(CveState.FIX_AVAILABLE);
        assertThat(state(e, "CVE-2026-2003")).isEqualTo(CveState.FIX_NOT_IN_MIRROR);
        assertThat(e.restarts().rebootRequired()).isFalse();
        PackageEvaluation meta = e.packages().stream().filter(p -> p.packageName().equals("linux-image-amd64")).findFirst().orElseThrow();
        assertThat(meta.state()).isEqualTo(PackageState.SECURITY_UPDATE);
        assertThat(e.packages().stream().filter(p -> p.packageName().equals("linux-image-6.1.0-47-amd64")).findFirst().orElseThrow()
                .state()).as("its own name has no newer version: the kernel's states say where the fix is").isEqualTo(PackageState.CURRENT);
        assertThat(verdict(e)).isEqualTo(Verdict.NON_COMPLIANT);
    }

    @Test
    void aHostThatDoesNotSayWhatItRunsIsJudgedByItsNewestImage() {
        // A demi-inventory older than the Running part: the package list is all there is.
        HostEvaluation e = evaluate(status(IMAGE_47, IMAGE_56, META_56), Optional.empty());
        assertThat(e.kernel().orElseThrow().runningVersion()).isEmpty();
        assertThat(state(e, "CVE-2026-2001")).isEqualTo(CveState.FIXED);
        assertThat(e.restarts()).isEqualTo(Restarts.NONE);
        assertThat(verdict(e)).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void onlyImagesOfTheRunningFlavourCount() throws Exception {
        // A newer cloud image installed does not make the amd64 kernel behind: booting it is not an upgrade.
        HostEvaluation e = evaluate(status(IMAGE_47, "linux-image-6.1.0-56-cloud-amd64 6.1.192-2 linux-signed-amd64 (6.1.192+2)"),
                running("6.1.0-47-amd64", "6.1.170-3", ""));
        assertThat(e.kernel().orElseThrow().newestImage()).isEqualTo("linux-image-6.1.0-47-amd64");
        assertThat(e.kernel().orElseThrow().behind()).isFalse();
        assertThat(state(e, "CVE-2026-2001")).isEqualTo(CveState.FIX_AVAILABLE);
    }

    @Test
    void theUnsignedImageIsTheKernelToo() throws Exception {
        HostEvaluation e = evaluate(status("linux-image-6.1.0-47-amd64-unsigned 6.1.170-3 linux",
                "linux-image-6.1.0-56-amd64-unsigned 6.1.192-2 linux"), running("6.1.0-47-amd64", "6.1.170-3", ""));
        assertThat(e.kernel().orElseThrow().behind()).isTrue();
        assertThat(state(e, "CVE-2026-2001")).isEqualTo(CveState.FIXED_PENDING_REBOOT);
    }

    @Test
    void aKernelThatIsNoneOfItsImagesIsJudgedByTheNewestAndAsksForNoReboot() throws Exception {
        // This machine's kind: a kernel not built by Debian ("6.18.44-fc-v1045", "#1 SMP PREEMPT_DYNAMIC @0").
        Optional<RunningSystem> foreign = Optional.of(RunningSystem.parse(("Kernel-Release: 6.18.44-fc-v1045\n"
                + "Kernel-Version: #1 SMP PREEMPT_DYNAMIC @0\nReboot-Required: no\n").getBytes(StandardCharsets.US_ASCII), null));
        HostEvaluation e = evaluate(status(IMAGE_47), foreign);
        HostKernel k = e.kernel().orElseThrow();
        assertThat(k.runningVersion()).isEmpty();
        assertThat(k.judgedAt()).isEqualTo(Version.parse("6.1.170-3"));
        assertThat(k.describe()).startsWith("runs 6.18.44-fc-v1045, none of its installed images");
        assertThat(e.restarts().rebootRequired()).isFalse();
    }

    @Test
    void theHostsOwnFlagAndNeedrestartAskForARebootOrRestarts() throws Exception {
        // No kernel image at all (a container): the flag alone, as unattended-upgrades' hook leaves it.
        HostEvaluation flagged = evaluate(status(), running("6.1.0-47-amd64", "6.1.170-3",
                "Reboot-Required: yes\nReboot-Required-Packages: libc6 libssl3\n"));
        assertThat(flagged.kernel()).isEmpty();
        assertThat(flagged.restarts().reboot()).containsExactly("/run/reboot-required, for libc6 libssl3");
        assertThat(verdict(flagged)).isEqualTo(Verdict.REBOOT_REQUIRED);

        byte[] part = ("Kernel-Release: 6.1.0-56-amd64\nKernel-Version: #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-02)\n"
                + "Reboot-Required: no\n").getBytes(StandardCharsets.US_ASCII);
        byte[] services = "NEEDRESTART-VER: 3.6\nNEEDRESTART-KSTA: 1\nNEEDRESTART-SVC: cron.service\nNEEDRESTART-SVC: ssh.service\n"
                .getBytes(StandardCharsets.US_ASCII);
        HostEvaluation restart = evaluate(status(IMAGE_56, META_56), Optional.of(RunningSystem.parse(part, services)));
        assertThat(restart.restarts().services()).containsExactly("cron.service", "ssh.service");
        assertThat(verdict(restart)).isEqualTo(Verdict.RESTART_REQUIRED);

        byte[] kernelPending = "NEEDRESTART-VER: 3.6\nNEEDRESTART-KEXP: 6.1.0-57-amd64\nNEEDRESTART-KSTA: 3\n"
                .getBytes(StandardCharsets.US_ASCII);
        HostEvaluation pending = evaluate(status(IMAGE_56, META_56), Optional.of(RunningSystem.parse(part, kernelPending)));
        assertThat(pending.restarts().reboot()).containsExactly("needrestart: a kernel upgrade is pending, expects 6.1.0-57-amd64");
        assertThat(verdict(pending)).isEqualTo(Verdict.REBOOT_REQUIRED);
    }

    @Test
    void packagesBuiltFromLinuxWithoutAnImageAreJudgedAsBefore() throws Exception {
        // A container's linux-libc-dev: no kernel of its own, so its source version is judged as any package's.
        HostEvaluation e = evaluate(status("linux-libc-dev 6.1.170-3 linux"), Optional.empty());
        assertThat(e.kernel()).isEmpty();
        HostCve c = e.allCves().filter(x -> x.id().equals("CVE-2026-2001")).findFirst().orElseThrow();
        assertThat(c.binaries()).containsExactly("linux-libc-dev:amd64");
        assertThat(c.state()).as("the mirror's linux-libc-dev 6.1.192-2 fixes it").isEqualTo(CveState.FIX_AVAILABLE);
    }

    @Test
    void kernelReleasesAndSourcesAsDebianNamesThem() {
        assertThat(HostKernel.flavour("6.1.0-47-amd64")).hasValue("amd64");
        assertThat(HostKernel.flavour("6.1.0-47-cloud-amd64")).hasValue("cloud-amd64");
        assertThat(HostKernel.flavour("6.12.48+deb13-amd64")).hasValue("amd64");
        assertThat(HostKernel.flavour("6.12.48+deb13-rt-amd64")).hasValue("rt-amd64");
        assertThat(HostKernel.flavour("5.10.0-30-686-pae")).hasValue("686-pae");
        assertThat(HostKernel.flavour("6.1.0-0.deb11.17-amd64")).hasValue("amd64");
        assertThat(HostKernel.flavour("linux")).isEmpty();
        assertThat(HostKernel.debianVersion("#1 SMP PREEMPT_DYNAMIC Debian 6.1.170-3 (2026-11-02)")).hasValue(Version.parse("6.1.170-3"));
        assertThat(HostKernel.debianVersion("#1 SMP Debian 5.10.237-1 (2025-05-19)")).hasValue(Version.parse("5.10.237-1"));
        assertThat(HostKernel.debianVersion("#1 SMP PREEMPT_DYNAMIC Debian 6.12.12-1~bpo12+1 (2025-02-23)"))
                .hasValue(Version.parse("6.12.12-1~bpo12+1"));
        assertThat(HostKernel.debianVersion("#1 SMP PREEMPT_DYNAMIC @0")).isEmpty();
        assertThat(HostKernel.trackerSource(status("linux-image-6.1.0-47-amd64 6.1.170-3 linux-signed-amd64 (6.1.170+3)").get(1)))
                .hasValue("linux");
        assertThat(HostKernel.trackerSource(status("linux-image-5.10.0-0.deb10.30-amd64 5.10.218-1~deb10u1 "
                + "linux-signed-5.10-amd64 (5.10.218+1~deb10u1)").get(1))).hasValue("linux-5.10");
        assertThat(HostKernel.trackerSource(status("linux-libc-dev 6.1.170-3 linux").get(1))).hasValue("linux");
        assertThat(HostKernel.trackerSource(status("linux-base 4.9").get(1))).isEmpty();
    }
}
