package org.demi.compliance.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.demi.compliance.inventory.RunningSystem;

/**
 * What a host must restart before it runs what it has installed: why it must reboot (its
 * kernel is behind its newest image, it says so in {@code /run/reboot-required}, needrestart
 * sees a kernel upgrade pending), and the services needrestart names as running outdated
 * binaries or libraries.
 *
 * @param reboot   the reasons to reboot, in words; empty when none is known
 * @param services the systemd units to restart, as needrestart names them
 */
public record Restarts(List<String> reboot, List<String> services) {
    /** Nothing known to restart: a host that does not report its running system. */
    public static final Restarts NONE = new Restarts(List.of(), List.of());

    public Restarts {
        reboot = List.copyOf(reboot);
        services = List.copyOf(services);
    }

    public boolean rebootRequired() {
        return !reboot.isEmpty();
    }

    public boolean restartRequired() {
        return !services.isEmpty();
    }

    static Restarts of(Optional<HostKernel> kernel, Optional<RunningSystem> running) {
        if (running.isEmpty()) {
            return NONE;
        }
        RunningSystem r = running.get();
        List<String> reboot = new ArrayList<>();
        kernel.filter(HostKernel::behind).ifPresent(k -> reboot.add("runs " + k.source() + " " + k.runningVersion().orElseThrow()
                + " (" + r.kernelRelease() + "); " + k.newestImage() + " " + k.newestVersion() + " is installed"));
        if (r.rebootRequired()) {
            reboot.add("/run/reboot-required" + (r.rebootRequiredPackages().isEmpty() ? ""
                    : ", for " + String.join(" ", r.rebootRequiredPackages())));
        }
        r.needrestartKernel().filter(s -> s >= 2).ifPresent(s -> reboot.add("needrestart: " + (s == 2
                ? "an ABI-compatible kernel upgrade is pending" : "a kernel upgrade is pending")
                + r.needrestartExpectedKernel().map(x -> ", expects " + x).orElse("")));
        return new Restarts(reboot, r.servicesToRestart());
    }
}
