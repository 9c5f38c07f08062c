package org.demi.web.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.deb.Fixtures;
import org.demi.index.FleetIndex;
import org.demi.index.IndexField;
import org.demi.index.SearchQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed between storing a push and committing the index (kill -9, power loss) comes
 * back with an index that says what the histories say: a start indexes anew every host whose
 * latest stored inventory is not the one its documents were made from.
 */
class RestartTest {
    @TempDir
    Path tmp;

    @Test
    void aStartReindexesWhatTheLastRunStoredButNeverCommitted() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH)));
        Configuration configuration = new Configuration(config, data, tmp.resolve("root"), tmp.resolve("no-apt"), Clock.systemUTC());
        Inventory before = inventory("1.0-1");
        Inventory after = inventory("2.0-1");

        try (Application app = start(configuration)) {
            app.compliance().inventories().accept("laptop", "push", before);
            app.indexer().flush();
            assertThat(checksum(app.index())).isEqualTo(before.checksum());
        }
        // What a process killed mid-push leaves: the history and the store have the new inventory,
        // and nothing told the index.
        new InventoryStore(data, Clock.systemUTC()).accept("laptop", "push", after);
        try (FleetIndex committed = FleetIndex.openReadOnly(data.resolve("index"))) {
            assertThat(checksum(committed)).isEqualTo(before.checksum());
        }

        try (Application app = start(configuration)) {
            app.indexer().flush();
            assertThat(checksum(app.index())).isEqualTo(after.checksum());
            assertThat(app.index().search(SearchQuery.parse("host:laptop package:demi-marker version:=2.0-1"), 0, 1).total())
                    .isEqualTo(1);
        }
    }

    private static Application start(Configuration c) throws Exception {
        StringWriter log = new StringWriter();
        Application app = Application.build(c, new Application.Options(org.demi.web.serve.Network.of(new InetSocketAddress("127.0.0.1", 0)), Duration.ZERO,
                Duration.ZERO, Duration.ofHours(1)), new PrintWriter(log), new PrintWriter(log));
        app.start();
        return app;
    }

    private static String checksum(FleetIndex index) throws Exception {
        FleetIndex.Result r = index.search(SearchQuery.parse("type:host host:laptop"), 0, 1);
        return r.rows().isEmpty() ? "" : r.rows().get(0).get(IndexField.CHECKSUM);
    }

    private static Inventory inventory(String markerVersion) throws Exception {
        String status = Files.readString(Fixtures.path("hosts/trixie-minbase/status"))
                + "\nPackage: demi-marker\nStatus: install ok installed\nArchitecture: all\nVersion: " + markerVersion
                + "\nDescription: which inventory this is\n";
        return Inventory.of(Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/os-release")),
                status.getBytes(StandardCharsets.UTF_8));
    }
}
