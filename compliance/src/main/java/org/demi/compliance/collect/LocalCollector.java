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
 * except in tests and chroots.
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
            inventory = Inventory.of(readCapped(os, OsRelease.MAX_BYTES), readCapped(status, StatusFile.MAX_BYTES));
        } catch (IOException e) {
            return store.fail(host, "local", Outcome.REJECTED, "cannot read " + e.getMessage());
        } catch (InventoryException e) {
            return store.fail(host, "local", Outcome.REJECTED, e.getMessage());
        }
        return store.accept(host, "local", inventory);
    }

    private static byte[] readCapped(Path f, int max) throws IOException {
        long size = Files.size(f);
        if (size > max) {
            throw new IOException(f + ": " + size + " bytes, more than " + max);
        }
        return Files.readAllBytes(f);
    }
}
