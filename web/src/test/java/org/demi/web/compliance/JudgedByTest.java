package org.demi.web.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.demi.deb.Fixtures;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.Inventory;
import org.demi.index.FleetIndex;
import org.demi.index.SearchQuery;
import org.demi.mirror.store.MirrorStore;
import org.demi.web.app.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that judges by what its index was already judged by (a restart; a sync that
 * published nothing new) does not judge every host again: at 100,000 hosts that is half an
 * hour of both cores. Anything the judgement is made from changing (an advisory list, a release's support)
 * judges every host again, and so does an index whose judgement was never finished.
 */
class JudgedByTest {
    @TempDir
    Path tmp;

    @Test
    void theSameInputsJudgeOnlyWhatChangedAndNewOnesJudgeEveryHost() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH),
                new HostSpec("desk", null, 22, null, List.of(), CollectMethod.PUSH)));
        Instant day = Instant.parse("2026-12-03T08:00:00Z");
        ComplianceSetup setup = setup(config, data, day);
        setup.inventories().accept("laptop", "push", inventory("trixie-minbase"));
        setup.inventories().accept("desk", "push", inventory("bookworm-minbase"));
        MirrorStore mirror = new MirrorStore(data, Clock.systemUTC());

        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            assertThat(index.judgedBy()).isEmpty();
            assertThat(indexer.reload(mirror)).as("a new index: every host").isEqualTo(new FleetIndexer.Judged(2, 2));
            assertThat(index.judgedBy()).isPresent();
            assertThat(indexer.reload(mirror)).as("judged by the same inputs").isEqualTo(FleetIndexer.Judged.NONE);
            indexer.close();
        }
        // A restart: the index's last commit says what it was judged by. Meanwhile one host sent a new inventory.
        setup = setup(config, data, day.plusSeconds(3600));
        setup.inventories().accept("desk", "push", inventory("bookworm-dev"));
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            try {
                assertThat(indexer.reload(mirror)).as("only the host that changed").isEqualTo(new FleetIndexer.Judged(1, 1));
                assertThat(index.count(SearchQuery.parse("host:desk release:bookworm package:gcc-12"))).isEqualTo(1);

                // New advisories: every host is judged by them.
                Files.createDirectories(setup.advisoriesDir());
                Files.write(setup.advisoriesDir().resolve("DSA-list"), Files.readAllBytes(Fixtures.path("tracker/DSA-list")));
                assertThat(indexer.reload(mirror).judged()).isEqualTo(2);
                assertThat(indexer.reload(mirror)).isEqualTo(FleetIndexer.Judged.NONE);
                // An advisory more, for a package neither host has: both are judged by it, and
                // both come out as the index holds them, so neither is written again.
                Files.writeString(setup.advisoriesDir().resolve("DSA-list"), "[02 Dec 2026] DSA-9999-1 nosuchpackage - security update\n"
                        + "\t{CVE-2026-99999}\n\t[bookworm] - nosuchpackage 1.0-1\n" + Files.readString(setup.advisoriesDir().resolve("DSA-list")));
                assertThat(indexer.reload(mirror)).isEqualTo(new FleetIndexer.Judged(2, 0));
                assertThat(index.count(SearchQuery.parse("type:advisory advisory:DSA-9999-1"))).as("the advisory itself is indexed").isEqualTo(1);
            } finally {
                indexer.close();
            }
        }
        // The next day. Support ends on dates, but this mirror holds no release dates or support
        // lists: the day decides nothing, and no host is judged again (EvaluatorInputsTest has
        // the days that do decide something).
        setup = setup(config, data, day.plus(Duration.ofDays(1)));
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            try {
                assertThat(indexer.reload(mirror)).isEqualTo(FleetIndexer.Judged.NONE);
            } finally {
                indexer.close();
            }
        }
    }

    /**
     * Once every host is judged, the index is asked to count ahead what the first pages after it
     * would count (the CVEs' tallies over every host's CVE documents), so no user waits for that.
     */
    @Test
    void everyJudgementEndsByCountingAhead() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("laptop", null, 22, null, List.of(), CollectMethod.PUSH)));
        ComplianceSetup setup = setup(config, data, Instant.parse("2026-12-03T08:00:00Z"));
        setup.inventories().accept("laptop", "push", inventory("trixie-minbase"));
        MirrorStore mirror = new MirrorStore(data, Clock.systemUTC());
        try (FleetIndex real = FleetIndex.open(setup.indexDir())) {
            java.util.concurrent.atomic.AtomicInteger warmed = new java.util.concurrent.atomic.AtomicInteger();
            FleetIndex index = (FleetIndex) java.lang.reflect.Proxy.newProxyInstance(FleetIndex.class.getClassLoader(),
                    new Class<?>[] {FleetIndex.class}, (proxy, method, args) -> {
                        if (method.getName().equals("warm")) {
                            warmed.incrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            try {
                indexer.reload(mirror);
                assertThat(warmed).as("after the first judgement").hasValue(1);
                indexer.reconcile();
                assertThat(warmed).as("after a reconciliation").hasValue(2);
            } finally {
                indexer.close();
            }
        }
    }

    /**
     * An index whose judgement failed halfway (a host's stored inventory damaged) says it was
     * judged by nothing, so the next start judges every host again, not just the changed ones.
     */
    @Test
    void aJudgementThatFailedHalfwayIsNotTakenForAWholeOne() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(new HostSpec("a", null, 22, null, List.of(), CollectMethod.PUSH),
                new HostSpec("b", null, 22, null, List.of(), CollectMethod.PUSH)));
        ComplianceSetup setup = setup(config, data, Instant.parse("2026-12-03T08:00:00Z"));
        Inventory inventory = inventory("trixie-minbase");
        setup.inventories().accept("a", "push", inventory);
        setup.inventories().accept("b", "push", inventory);
        Path stored = data.resolve("hosts/b/inventory/" + inventory.checksum() + ".gz");
        byte[] good = Files.readAllBytes(stored);
        Files.write(stored, good, java.nio.file.StandardOpenOption.APPEND); // its content no longer matches its name
        MirrorStore mirror = new MirrorStore(data, Clock.systemUTC());
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> indexer.reload(mirror)).hasMessageStartingWith("b: ");
                assertThat(index.judgedBy()).isEmpty();
                Files.write(stored, good);
                // Both are judged; a, judged before the failure into the documents it has now, is not written again.
                assertThat(indexer.reload(mirror)).as("every host, a as well").isEqualTo(new FleetIndexer.Judged(2, 1));
                assertThat(index.judgedBy()).isPresent();
            } finally {
                indexer.close();
            }
        }
    }

    /**
     * A server stopped while it judges every host (half an hour at 100,000 hosts) stops without
     * judging the rest, and its index says it was judged by nothing: the next start judges every
     * host, the ones passed over too.
     */
    @Test
    void aStopDuringAJudgementPassesOverTheRestAndTheNextStartJudgesEveryHost() throws Exception {
        Path config = tmp.resolve("etc");
        Path data = tmp.resolve("data");
        List<HostSpec> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            hosts.add(new HostSpec(String.format("h%03d", i), null, 22, null, List.of(), CollectMethod.PUSH));
        }
        HostsFile.write(config.resolve("hosts"), hosts);
        Instant day = Instant.parse("2026-12-03T08:00:00Z");
        ComplianceSetup setup = setup(config, data, day);
        Inventory inventory = inventory("bookworm-minbase");
        for (HostSpec h : hosts) {
            setup.inventories().accept(h.host(), "push", inventory);
        }
        MirrorStore mirror = new MirrorStore(data, Clock.systemUTC());
        int judgedBefore;
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            setup.fleet().evaluateWith(setup.evaluator(mirror)); // the judgement starts on the indexer's thread
            indexer.close();
            assertThat(index.judgedBy()).isEmpty();
            judgedBefore = index.indexedHosts().size();
            assertThat(judgedBefore).as("hosts judged before the stop").isLessThan(hosts.size());
        }
        setup = setup(config, data, day);
        try (FleetIndex index = FleetIndex.open(setup.indexDir())) {
            FleetIndexer indexer = new FleetIndexer(setup, index, Duration.ofHours(1));
            try {
                // Those judged before the stop come out as they were written, and are not written again.
                assertThat(indexer.reload(mirror)).as("every host, judged before the stop or not")
                        .isEqualTo(new FleetIndexer.Judged(hosts.size(), hosts.size() - judgedBefore));
                assertThat(index.judgedBy()).isPresent();
            } finally {
                indexer.close();
            }
        }
    }

    private static ComplianceSetup setup(Path config, Path data, Instant now) {
        return new ComplianceSetup(new Configuration(config, data, config.resolveSibling("root"), config.resolveSibling("no-apt"),
                Clock.fixed(now, ZoneOffset.UTC)));
    }

    private static Inventory inventory(String fixture) throws Exception {
        return Inventory.of(Files.readAllBytes(Fixtures.path("hosts/" + fixture + "/os-release")),
                Files.readAllBytes(Fixtures.path("hosts/" + fixture + "/status")));
    }
}
