package org.demi.compliance.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryException;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.demi.compliance.inventory.StatusFile;
import org.demi.deb.osrelease.OsRelease;

/**
 * Collects the machine Demi runs on by reading its files: {@code <root>/var/lib/dpkg/status}
 * and {@code <root>/etc/os-release} (or {@code usr/lib/os-release}); {@code root} is {@code /}
 * except in tests and chroots. Its running system is read as demi-inventory reads a host's:
 * the kernel's release and version and the boot time from {@code <root>/proc}, the reboot
 * flag from {@code <root>/run}. Not needrestart: the service runs unprivileged, and needrestart
 * sees only its own user's processes then.
 */
public final class LocalCollector {
    private final Path root;

    public LocalCollector(Path root) {
        this.root = root;
    }

    public HistoryEntry collect(String host, InventoryStore store) throws IOException {
        Path status = root.resolve("var/lib/dpkg/status");
        Path os = root.resolve("etc/os-release");
        if (!Files.exists(os)) {
            os = root.resolve("usr/lib/os-release");
        }
        Inventory inventory;
        try {
            inventory = Inventory.of(readCapped(os, OsRelease.MAX_BYTES), readCapped(status, StatusFile.MAX_BYTES), running(), null);
        } catch (IOException e) {
            return store.fail(host, "local", Outcome.REJECTED, "cannot read " + e.getMessage());
        } catch (InventoryException e) {
            return store.fail(host, "local", Outcome.REJECTED, e.getMessage());
        }
        return store.accept(host, "local", inventory);
    }

    /** The Running part, as demi-inventory writes it; none where {@code <root>/proc} has no kernel to tell of. */
    private byte[] running() throws IOException {
        Path kernel = root.resolve("proc/sys/kernel");
        if (!Files.exists(kernel.resolve("osrelease"))) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        b.append("Kernel-Release: ").append(Files.readString(kernel.resolve("osrelease")).strip()).append('\n');
        b.append("Kernel-Version: ").append(Files.readString(kernel.resolve("version")).strip()).append('\n');
        Path stat = root.resolve("proc/stat");
        if (Files.exists(stat)) {
            Files.readAllLines(stat).stream().filter(l -> l.startsWith("btime ")).findFirst()
                    .ifPresent(l -> b.append("Boot-Time: ").append(l.substring("btime ".length()).strip()).append('\n'));
        }
        b.append("Reboot-Required: ").append(Files.exists(root.resolve("run/reboot-required")) ? "yes" : "no").append('\n');
        Path pkgs = root.resolve("run/reboot-required.pkgs");
        if (Files.isReadable(pkgs)) {
            b.append("Reboot-Required-Packages: ").append(String.join(" ", new java.util.TreeSet<>(
                    Files.readAllLines(pkgs).stream().map(String::strip).filter(x -> !x.isEmpty()).toList()))).append('\n');
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] readCapped(Path f, int max) throws IOException {
        long size = Files.size(f);
        if (size > max) {
            throw new IOException(f + ": " + size + " bytes, more than " + max);
        }
        return Files.readAllBytes(f);
    }
}
