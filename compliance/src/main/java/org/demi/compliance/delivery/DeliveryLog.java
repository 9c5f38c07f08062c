package org.demi.compliance.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.demi.compliance.inventory.InventoryStore;

/**
 * Every delivery to each host, appended to {@code hosts/<host>/deliveries} beside its collection
 * history: when, whether the host took it, what travelled and which updates it carried.
 */
public final class DeliveryLog {
    private final Path hosts;

    public DeliveryLog(Path dataDir) {
        this.hosts = dataDir.resolve("hosts");
    }

    public synchronized void record(String host, Delivery d) throws IOException {
        Path dir = hosts.resolve(InventoryStore.checkHost(host));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("deliveries"), d.line(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    /** The host's deliveries, oldest first. */
    public List<Delivery> of(String host) throws IOException {
        Path log = hosts.resolve(InventoryStore.checkHost(host)).resolve("deliveries");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<Delivery> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Delivery.parse(line).ifPresent(out::add);
        }
        return out;
    }
}
