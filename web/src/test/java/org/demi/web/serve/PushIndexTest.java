package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
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

/**
 * A pushed inventory reaches the index through the fleet's events, on the indexer's own thread:
 * searchable within moments of the answer, without a commit; durable at the next commit; a
 * reconciliation keeps the rest in step.
 */
class PushIndexTest {
    @TempDir
    Path tmp;

    @Test
    void aPushedInventoryBecomesSearchableWithoutACommitAndDurableAtTheNext() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of("staff"), CollectMethod.PUSH),
                new HostSpec("kiosk", null, 22, null, List.of(), CollectMethod.PUSH)));
        ComplianceSetup setup = new ComplianceSetup(org.demi.web.app.Configuration.of(config, data));
        MirrorStore mirror = new MirrorStore(data, Clock.systemUTC());
        String token = setup.pushTokens().issue("laptop");
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            // Commits an hour apart: only close() makes anything durable in this test.
            FleetIndexer indexer = new FleetIndexer(setup, index, java.time.Duration.ofHours(1));
            // Both declared hosts are indexed at once, never collected as they are.
            assertThat(indexer.reload(mirror)).isEqualTo(new FleetIndexer.Judged(2, 2));
            Server server = DemiServer.build(Network.of(new InetSocketAddress("127.0.0.1", 0)), mirror, new OnDemandPool(mirror, java.util.Map.of(), u -> null, org.demi.mirror.fetch.TransferLimits.DEFAULT),
                    java.util.Optional.of(new DemiServer.Push(setup::host, setup.pushTokens(), setup.inventories())),
                    java.util.Optional.empty());
            server.start();
            try {
                String url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/push/v1/hosts/laptop/inventory";
                String client = "DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/trixie-minbase/status").toAbsolutePath()
                        + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/trixie-minbase/os-release").toAbsolutePath()
                        + " sh " + Path.of("../client/demi-inventory").toAbsolutePath();
                String answer = PushTest.sh(client + " | curl -s -H 'Authorization: Bearer " + token + "' --data-binary @- " + url);
                assertThat(answer).startsWith("stored ");
                // Nobody refreshes here: the push's event does, on the indexer's thread, soon after the answer.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (index.search(SearchQuery.parse("type:host host:laptop release:trixie"), 0, 10).total() == 0
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                FleetIndex.Result host = index.search(SearchQuery.parse("type:host host:laptop"), 0, 10);
                assertThat(host.total()).isEqualTo(1);
                assertThat(host.rows().get(0).get(org.demi.index.IndexField.RELEASE)).isEqualTo("trixie");
                assertThat(host.rows().get(0).all(org.demi.index.IndexField.GROUP)).isEqualTo(List.of("staff"));
                assertThat(index.search(SearchQuery.parse("host:laptop package:openssl"), 0, 10).total()).isEqualTo(1);
                String seen = host.rows().get(0).get(org.demi.index.IndexField.LAST_SEEN);
                assertThat(seen).isEqualTo(lastGood(setup, "laptop"));
                long documents = index.documents();
                // Pushed again unchanged: when it was last seen moves in the index too (it used to stay
                // at the push that stored the inventory), changed in place.
                Thread.sleep(1_050 - System.currentTimeMillis() % 1_000); // the store records attempts to the second: the next one
                assertThat(PushTest.sh(client + " | curl -s -H 'Authorization: Bearer " + token + "' --data-binary @- " + url))
                        .startsWith("unchanged");
                String again = lastGood(setup, "laptop");
                assertThat(java.time.Instant.parse(again)).isAfter(java.time.Instant.parse(seen));
                deadline = System.nanoTime() + 10_000_000_000L;
                while (!again.equals(lastSeen(index, "laptop")) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(lastSeen(index, "laptop")).isEqualTo(again);
                assertThat(index.count(SearchQuery.parse("type:host last_seen:>=" + again))).isEqualTo(1);
                assertThat(index.documents()).isEqualTo(documents);
                // Not committed yet: the last commit does not have it.
                assertThat(committedHosts(setup, "laptop")).isZero();
                // Closing commits; the committed index has it, and an indexer started anew (a restart)
                // knows what the index holds: nothing changed since, so a reconciliation replaces nothing.
                indexer.close();
                assertThat(committedHosts(setup, "laptop")).isEqualTo(1);
                indexer = new FleetIndexer(setup, index, java.time.Duration.ofHours(1));
                // Only kiosk, never collected, is judged again (its reason may have changed); laptop is
                // not. Kiosk's documents come out as the index holds them, and are not written again.
                assertThat(indexer.reconcile()).isEqualTo(new FleetIndexer.Judged(1, 0));
                // The host removed from the file leaves the index.
                HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("kiosk", null, 22, null, List.of(), CollectMethod.PUSH)));
                indexer.reconcile();
                assertThat(index.search(SearchQuery.parse("host:laptop"), 0, 10).total()).isZero();
                indexer.close();
                assertThat(committedHosts(setup, "laptop")).isZero();
                assertThat(committedHosts(setup, "kiosk")).isEqualTo(1);
            } finally {
                server.stop();
            }
        }
    }

    /** When the store last had the host's inventory, as the index shows it (to the millisecond). */
    static String lastGood(ComplianceSetup setup, String host) throws Exception {
        return setup.inventories().latest(host).orElseThrow().received().time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    static String lastSeen(FleetIndex index, String host) throws Exception {
        return index.search(SearchQuery.builder("host").is(org.demi.index.IndexField.HOST, host).build(), 0, 1).rows().get(0)
                .get(org.demi.index.IndexField.LAST_SEEN);
    }

    @Test
    void aHostThatCannotBeReadIsNamedAndTheOthersAreIndexedAllTheSame() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        List<HostSpec> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hosts.add(new HostSpec("h" + i, null, 22, null, List.of(), CollectMethod.PUSH));
        }
        HostsFile.write(config.resolve("hosts"), hosts);
        ComplianceSetup setup = new ComplianceSetup(org.demi.web.app.Configuration.of(config, data));
        org.demi.compliance.inventory.Inventory inventory = org.demi.compliance.inventory.Inventory.of(
                java.nio.file.Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/os-release")),
                java.nio.file.Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/status")));
        for (HostSpec h : hosts) {
            setup.inventories().accept(h.host(), "push", inventory);
        }
        // h7's stored inventory is damaged on disk: its content no longer matches its name.
        Path stored = data.resolve("hosts/h7/inventory/" + inventory.checksum() + ".gz");
        java.nio.file.Files.write(stored, java.nio.file.Files.readAllBytes(stored), java.nio.file.StandardOpenOption.APPEND);
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, java.time.Duration.ofHours(1));
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> indexer.reload(new MirrorStore(data, Clock.systemUTC())))
                        .isInstanceOf(java.io.IOException.class).hasMessageStartingWith("h7: ");
                // Every other host was judged and is searchable.
                assertThat(index.search(SearchQuery.parse("type:host release:trixie"), 0, 100).total()).isEqualTo(19);
                assertThat(index.count(SearchQuery.parse("type:host host:h7"))).isZero();
            } finally {
                indexer.close();
            }
        }
    }

    /**
     * A host's declaration is part of what its documents say (its groups, how it is collected):
     * a hosts file edited beside the server (demi hosts add, or by hand) reaches the index at the
     * next reconciliation, though the host's inventory and verdict stand.
     */
    @Test
    void aHostsNewGroupsReachTheIndexThoughItsInventoryStands() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of("staff"), CollectMethod.PUSH)));
        ComplianceSetup setup = new ComplianceSetup(org.demi.web.app.Configuration.of(config, data));
        setup.inventories().accept("laptop", "push", org.demi.compliance.inventory.Inventory.of(
                java.nio.file.Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/os-release")),
                java.nio.file.Files.readAllBytes(Fixtures.path("hosts/trixie-minbase/status"))));
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, java.time.Duration.ofHours(1));
            try {
                assertThat(indexer.reload(new MirrorStore(data, Clock.systemUTC()))).isEqualTo(new FleetIndexer.Judged(1, 1));
                assertThat(index.count(SearchQuery.parse("type:host group:staff"))).isEqualTo(1);

                HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of("lab", "eu"),
                        CollectMethod.PUSH)));
                assertThat(indexer.reconcile()).isEqualTo(new FleetIndexer.Judged(1, 1));
                assertThat(index.count(SearchQuery.parse("type:host group:staff"))).isZero();
                assertThat(index.count(SearchQuery.parse("type:host group:lab group:eu"))).isEqualTo(1);
                assertThat(index.count(SearchQuery.parse("group:lab package:openssl"))).as("its packages' documents too").isEqualTo(1);
                // Nothing changed since: the next reconciliation judges nothing.
                assertThat(indexer.reconcile()).isEqualTo(FleetIndexer.Judged.NONE);
            } finally {
                indexer.close();
            }
        }
    }

    /** Whether the index's last commit holds the host, as a second reader (demi search beside the server) sees it. */
    private static long committedHosts(ComplianceSetup setup, String host) throws Exception {
        try (FleetIndex committed = FleetIndex.openReadOnly(setup.indexDir())) {
            return committed.search(SearchQuery.parse("type:host host:" + host), 0, 10).total();
        } catch (org.apache.lucene.index.IndexNotFoundException e) {
            return 0;
        }
    }
}
