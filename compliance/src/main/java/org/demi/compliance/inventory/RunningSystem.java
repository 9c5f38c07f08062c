package org.demi.compliance.inventory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a host's package list cannot tell: the kernel it runs ({@code uname -r}, {@code uname
 * -v}), when it booted, whether it says a reboot is required ({@code /run/reboot-required},
 * and the packages {@code /run/reboot-required.pkgs} names), and, where needrestart is
 * installed, what its batch mode ({@code needrestart -b}) reports. Read from two optional parts
 * of the inventory frame, {@code Running} and {@code Needrestart}, as untrusted input: every
 * field checked, nothing unknown kept.
 *
 * @param needrestartKernel needrestart's kernel status (NEEDRESTART-KSTA): 0 unknown, 1 current,
 *                          2 an ABI-compatible upgrade pending, 3 a version upgrade pending
 */
public record RunningSystem(String kernelRelease, String kernelVersion, Optional<Instant> bootTime, boolean rebootRequired,
        List<String> rebootRequiredPackages, Optional<Integer> needrestartKernel, Optional<String> needrestartExpectedKernel,
        List<String> servicesToRestart) {
    /** Each part is a few lines; a megabyte is already absurd. */
    public static final int MAX_BYTES = 64 << 10;
    private static final String TEXT = "[\\x20-\\x7e]{0,512}";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9.+_:@-]{0,254}";

    public RunningSystem {
        rebootRequiredPackages = List.copyOf(rebootRequiredPackages);
        servicesToRestart = List.copyOf(servicesToRestart);
    }

    /**
     * The Running part ({@code Name: value} lines, as demi-inventory writes them) and, if the
     * host has needrestart, its Needrestart part (the {@code NEEDRESTART-*} lines of its batch
     * output).
     *
     * @throws InventoryException naming the part, the line and what is wrong with it
     */
    public static RunningSystem parse(byte[] running, byte[] needrestart) throws InventoryException {
        Map<String, String> r = fields(running, "running", ": ", false);
        String release = require(r, "Kernel-Release", "[0-9A-Za-z][0-9A-Za-z.+_~-]{0,127}");
        String version = require(r, "Kernel-Version", TEXT);
        Optional<Instant> boot = Optional.ofNullable(r.get("Boot-Time")).map(b -> {
            if (!b.matches("\\d{1,12}")) {
                return null;
            }
            return Instant.ofEpochSecond(Long.parseLong(b));
        });
        if (r.containsKey("Boot-Time") && boot.isEmpty()) {
            throw new InventoryException("running: Boot-Time is not seconds since the epoch: " + InventoryReader.clip(r.get("Boot-Time")));
        }
        String reboot = require(r, "Reboot-Required", "yes|no");
        List<String> packages = words(r.getOrDefault("Reboot-Required-Packages", ""), "running: Reboot-Required-Packages");
        Optional<Integer> ksta = Optional.empty();
        Optional<String> kexp = Optional.empty();
        List<String> services = new ArrayList<>();
        if (needrestart != null) {
            Map<String, String> n = fields(needrestart, "needrestart", ": ", true);
            String status = n.get("NEEDRESTART-KSTA");
            if (status != null) {
                if (!status.matches("[0-3]")) {
                    throw new InventoryException("needrestart: NEEDRESTART-KSTA is 0 to 3, not " + InventoryReader.clip(status));
                }
                ksta = Optional.of(Integer.parseInt(status));
            }
            String expected = n.get("NEEDRESTART-KEXP");
            if (expected != null && !expected.isEmpty()) {
                if (!expected.matches("[0-9A-Za-z][0-9A-Za-z.+_~-]{0,127}")) {
                    throw new InventoryException("needrestart: NEEDRESTART-KEXP is not a kernel release: " + InventoryReader.clip(expected));
                }
                kexp = Optional.of(expected);
            }
            services.addAll(words(n.getOrDefault("NEEDRESTART-SVC", ""), "needrestart: NEEDRESTART-SVC"));
        }
        return new RunningSystem(release, version, boot, reboot.equals("yes"), packages, ksta, kexp, services);
    }

    /**
     * The lines of a part. needrestart repeats NEEDRESTART-SVC once per service: with
     * {@code repeat}, repeated values are joined with spaces (each one a name).
     */
    private static Map<String, String> fields(byte[] bytes, String part, String separator, boolean repeat) throws InventoryException {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            int at = line.indexOf(separator);
            if (at <= 0 || !line.matches("[\\x20-\\x7e]*")) {
                throw new InventoryException(part + ": line " + n + " is not 'Name: value': " + InventoryReader.clip(line));
            }
            String name = line.substring(0, at);
            String value = line.substring(at + separator.length()).strip();
            String before = out.put(name, value);
            if (before != null) {
                if (!repeat) {
                    throw new InventoryException(part + ": " + name + " appears twice");
                }
                out.put(name, before + " " + value);
            }
        }
        return out;
    }

    private static String require(Map<String, String> fields, String name, String pattern) throws InventoryException {
        String v = fields.get(name);
        if (v == null) {
            throw new InventoryException("running: no " + name);
        }
        if (!v.matches(pattern)) {
            throw new InventoryException("running: " + name + " holds what it cannot: " + InventoryReader.clip(v));
        }
        return v;
    }

    private static List<String> words(String text, String what) throws InventoryException {
        List<String> out = new ArrayList<>();
        for (String w : text.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (!w.matches(NAME)) {
                throw new InventoryException(what + " holds what is not a name: " + InventoryReader.clip(w));
            }
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
