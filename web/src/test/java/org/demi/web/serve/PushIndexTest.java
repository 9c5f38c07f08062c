package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.deb.Fixtures;
import org.demi.index.FleetIndex;
import org.demi.index.SearchQuery;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.OnDemandPool;
import org.demi.web.compliance.ComplianceSetup;
import org.demi.web.compliance.FleetIndexer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pushed inventory is in the index by the time the push is answered; a reconciliation keeps the rest in step. */
class PushIndexTest {
    @TempDir
    Path tmp;

    @Test
    void aPushedInventoryIsSearchableWhenThePushIsAnswered() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of("staff"), CollectMethod.PUSH),
                new HostSpec("kiosk", null, 22, null, List.of(), CollectMethod.PUSH)));
        ComplianceSetup setup = new ComplianceSetup(config, data, Clock.systemUTC());
        MirrorStore mirror = new MirrorStore(data, Clock.systemUTC());
        String token = setup.pushTokens().issue("laptop");
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, mirror, index, Clock.systemUTC());
            assertThat(indexer.reload()).isZero();
            Server server = DemiServer.build(new InetSocketAddress("127.0.0.1", 0), mirror, new OnDemandPool(mirror, java.util.Map.of(), u -> null),
                    new DemiServer.Push(setup::hosts, setup.pushTokens(), setup.inventories(), host -> {
                        try {
                            indexer.hostChanged(host);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
            server.start();
            try {
                String url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/push/v1/hosts/laptop/inventory";
                String client = "DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/trixie-minbase/status").toAbsolutePath()
                        + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/trixie-minbase/os-release").toAbsolutePath()
                        + " sh " + Path.of("../client/demi-inventory").toAbsolutePath();
                String answer = PushTest.sh(client + " | curl -s -H 'Authorization: Bearer " + token + "' --data-binary @- " + url);
                assertThat(answer).startsWith("stored ");
                // No refresh here: the push itself made it searchable.
                FleetIndex.Result host = index.search(SearchQuery.parse("type:host host:laptop"), 0, 10);
                assertThat(host.total()).isEqualTo(1);
                assertThat(host.rows().get(0).get("release")).isEqualTo("trixie");
                assertThat(host.rows().get(0).get("group")).isEqualTo(List.of("staff"));
                assertThat(index.search(SearchQuery.parse("host:laptop package:openssl"), 0, 10).total()).isEqualTo(1);
                // Nothing changed since: a reconciliation replaces nothing. The host removed from the file leaves the index.
                assertThat(indexer.reconcile()).isZero();
                HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("kiosk", null, 22, null, List.of(), CollectMethod.PUSH)));
                indexer.reconcile();
                assertThat(index.search(SearchQuery.parse("host:laptop"), 0, 10).total()).isZero();
            } finally {
                server.stop();
            }
        }
        assertThat(Files.list(setup.indexDir()).toList()).isNotEmpty();
    }
}
