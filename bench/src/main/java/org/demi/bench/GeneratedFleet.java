package org.demi.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.host.Tokens;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;
import org.demi.compliance.inventory.StatusFile;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.deb.status.StatusEntry;
import org.demi.mirror.fetch.DirectoryFetcher;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.source.KeyringResolver;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.source.Upstreams;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.Progress;
import org.demi.mirror.sync.ReleaseGuard;
import org.demi.mirror.sync.Syncer;
import org.demi.mirror.fetch.TransferLimits;

/**
 * A generated fleet in a configuration and data directory, as a server would hold it after
 * a few days of collections, written through the same stores the server uses (the bulk path;
 * pushes are the other, driven over HTTP by {@link FleetLoad}):
 * <ul>
 * <li>the mirror: Debian's real signed bookworm, bookworm-security, bullseye-security and
 * trixie-security files from the fixtures, verified and published by the real syncer (at the
 * time they were captured: their {@code Valid-Until} has passed since);
 * <li>hosts: 60% the fixtures' 710-package bookworm development machine, 20% the minimal
 * bookworm install, 10% each minimal trixie and bullseye; in each, 5% of the installed packages
 * at another version (two in three older than the archive's, one in three a local build newer
 * than it); in two groups each, one of 50 and one of 4 sites;
 * <li>history: two collections a day apart, a third of the hosts changed between them; 5% stale
 * (last seen ten days ago), 2% unreachable (declared for SSH on a closed loopback port, their
 * history ending in failures);
 * <li>the security data: the real DSA and DLA lists and a tracker JSON generated at the real
 * feed's size (40,000 CVEs) by {@link CveAudit#generate}, imported by {@code demi advisories import}.
 * </ul>
 */
final class GeneratedFleet {
    static final Instant CAPTURED = Instant.parse("2026-11-21T12:00:00Z");
    static final String[] FIXTURE_HOSTS = {"bookworm-dev", "bookworm-minbase", "trixie-minbase", "bullseye-minbase"};

    final List<String> hosts;
    final List<String> pushHosts;
    final Map<String, String> tokens;

    private GeneratedFleet(List<String> hosts, List<String> pushHosts, Map<String, String> tokens) {
        this.hosts = hosts;
        this.pushHosts = pushHosts;
        this.tokens = tokens;
    }

    static String name(int i) {
        return String.format("h%06d", i);
    }

    /** The fixture host that host {@code i} is made from. */
    static String fixture(int i) {
        int r = Math.floorMod(i * 7919, 10);
        return r < 6 ? FIXTURE_HOSTS[0] : r < 8 ? FIXTURE_HOSTS[1] : r < 9 ? FIXTURE_HOSTS[2] : FIXTURE_HOSTS[3];
    }

    /**
     * Writes {@code count} hosts, with push tokens for {@code tokenHosts} of them.
     *
     * @param jar the demi jar whose {@code advisories import} takes the security data
     */
    static GeneratedFleet write(Path jar, Path config, Path data, int count, int tokenHosts, Instant now) throws Exception {
        Files.createDirectories(config);
        mirror(config, data);
        advisories(jar, config, data);
        List<HostSpec> specs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> push = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = name(i);
            names.add(name);
            List<String> groups = List.of("g" + i % 50, "site" + i % 4);
            if (unreachable(i)) {
                specs.add(new HostSpec(name, "127.0.0.1", 1, "demi", groups, CollectMethod.SSH));
            } else {
                specs.add(new HostSpec(name, null, 22, null, groups, CollectMethod.PUSH));
                push.add(name);
            }
        }
        HostsFile.write(config.resolve("hosts"), specs);
        Map<String, byte[][]> fixtures = new LinkedHashMap<>();
        for (String f : FIXTURE_HOSTS) {
            fixtures.put(f, new byte[][] {BenchFixtures.raw("hosts/" + f + "/os-release"), BenchFixtures.raw("hosts/" + f + "/status")});
        }
        Instant first = now.minus(Duration.ofDays(2));
        Instant second = now.minus(Duration.ofDays(1));
        Instant stale = now.minus(Duration.ofDays(10));
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                int core = c;
                jobs.add(pool.submit(() -> {
                    InventoryStore atFirst = new InventoryStore(data, Clock.fixed(first, ZoneOffset.UTC));
                    InventoryStore atSecond = new InventoryStore(data, Clock.fixed(second, ZoneOffset.UTC));
                    InventoryStore atStale = new InventoryStore(data, Clock.fixed(stale, ZoneOffset.UTC));
                    for (int i = core; i < count; i += cores) {
                        String name = name(i);
                        byte[][] f = fixtures.get(fixture(i));
                        if (stale(i)) {
                            atStale.accept(name, "push", Inventory.of(f[0], vary(f[1], i, 0)));
                            continue;
                        }
                        String method = unreachable(i) ? "ssh" : "push";
                        atFirst.accept(name, method, Inventory.of(f[0], vary(f[1], i, 0)));
                        if (unreachable(i)) {
                            atSecond.fail(name, method, Outcome.UNREACHABLE, "connect to 127.0.0.1:1: Connection refused");
                        } else if (latestRound(i) == 1) {
                            atSecond.accept(name, method, Inventory.of(f[0], vary(f[1], i, 1)));
                        } else {
                            Inventory same = Inventory.of(f[0], vary(f[1], i, 0));
                            atSecond.confirmUnchanged(name, method, same.checksum());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        } finally {
            pool.shutdown();
        }
        Map<String, String> tokens = Tokens.forPushHosts(data.resolve("keys/push-tokens"))
                .issue(push.subList(0, Math.min(tokenHosts, push.size())));
        save(config, tokens);
        return new GeneratedFleet(List.copyOf(names), List.copyOf(push), tokens);
    }

    /** The push tokens issued, beside the configuration: a generated fleet can be served again. */
    private static final String TOKENS = "bench-push-tokens";

    /** The fleet of {@code count} hosts that {@link #write} left in {@code config}'s parent. */
    static GeneratedFleet read(Path config, int count) throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String line : Files.readAllLines(config.resolveSibling(TOKENS))) {
            String[] f = line.split(" ");
            tokens.put(f[0], f[1]);
        }
        List<String> names = new ArrayList<>();
        List<String> push = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(name(i));
            if (!unreachable(i)) {
                push.add(name(i));
            }
        }
        return new GeneratedFleet(List.copyOf(names), List.copyOf(push), tokens);
    }

    /** The round ({@link #vary}) of the inventory host {@code i} last sent: a third of the hosts changed in the second collection. */
    static int latestRound(int i) {
        return !stale(i) && i % 3 == 0 ? 1 : 0;
    }

    /** Gives every push host of the fleet kept in {@code config}'s parent a token, in one write, and keeps them beside it. */
    static GeneratedFleet withEveryToken(Path config, Path data, int count) throws Exception {
        GeneratedFleet kept = read(config, count);
        if (kept.tokens.size() == kept.pushHosts.size()) {
            return kept;
        }
        Map<String, String> tokens = Tokens.forPushHosts(data.resolve("keys/push-tokens")).issue(kept.pushHosts);
        save(config, tokens);
        return new GeneratedFleet(kept.hosts, kept.pushHosts, tokens);
    }

    private static void save(Path config, Map<String, String> tokens) throws Exception {
        StringBuilder saved = new StringBuilder();
        tokens.forEach((h, t) -> saved.append(h).append(' ').append(t).append('\n'));
        Files.writeString(config.resolveSibling(TOKENS), saved);
    }

    static boolean stale(int i) {
        return Math.floorMod(i * 31, 100) < 5;
    }

    static boolean unreachable(int i) {
        return !stale(i) && Math.floorMod(i * 37 + 11, 100) < 2;
    }

    /**
     * The status file of host {@code i} at collection {@code round}: 5% of installed packages at
     * another version. The variation is drawn per host, and a round changes a tenth of it.
     */
    static byte[] vary(byte[] status, int i, int round) {
        String text = new String(status, StandardCharsets.UTF_8);
        Random host = new Random(i);
        Random again = new Random(i * 31L + round);
        StringBuilder out = new StringBuilder(text.length() + 4096);
        for (String paragraph : text.split("\n\n")) {
            if (paragraph.isBlank()) {
                continue;
            }
            int roll = host.nextInt(100);
            boolean changed = round > 0 && again.nextInt(200) == 0;
            if ((roll < 5 || changed) && paragraph.contains("\nStatus: install ok installed")) {
                int at = paragraph.indexOf("\nVersion: ");
                int end = paragraph.indexOf('\n', at + 1);
                String v = paragraph.substring(at + 10, end < 0 ? paragraph.length() : end);
                String nv = roll % 3 == 2 ? v + "+local" + (1 + roll) : v + "~old" + (1 + roll + (changed ? 1 : 0));
                paragraph = paragraph.substring(0, at + 10) + nv + (end < 0 ? "" : paragraph.substring(end));
            }
            out.append(paragraph).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Verifies and publishes the fixtures' signed suites, at the time they were captured. */
    private static void mirror(Path config, Path data) throws Exception {
        Path keyring = BenchFixtures.path("keyrings/debian-archive-keyring.gpg").toAbsolutePath();
        StringBuilder sources = new StringBuilder();
        Path upstream = data.resolveSibling("upstream");
        for (String[] u : new String[][] {{"debian", "bookworm"}, {"debian-security", "bookworm-security", "bullseye-security",
                "trixie-security"}}) {
            Path copy = upstream.resolve(u[0]);
            for (int i = 1; i < u.length; i++) {
                Path dist = copy.resolve("dists/" + u[i]);
                Files.createDirectories(dist.resolve("main/binary-amd64"));
                Files.copy(BenchFixtures.path("archive/" + u[i] + "/InRelease"), dist.resolve("InRelease"));
                Files.copy(BenchFixtures.path("archive/" + u[i] + "/main/binary-amd64/Packages.xz"),
                        dist.resolve("main/binary-amd64/Packages.xz"));
                sources.append("deb [signed-by=").append(keyring).append(" arch=amd64 pool=none] ").append(copy.toUri())
                        .append(' ').append(u[i]).append(" main\n");
            }
        }
        Files.writeString(config.resolve("sources.list"), sources.toString());
        Clock clock = Clock.fixed(CAPTURED, ZoneOffset.UTC);
        MirrorStore store = new MirrorStore(data, clock);
        Syncer syncer = new Syncer(store, new KeyringResolver(List.of(keyring)), clock, ReleaseGuard.DEFAULT,
                SigningKey.generate("demi bench <bench@localhost>", CAPTURED.minusSeconds(3600), null, 2048), 2,
                TransferLimits.DEFAULT);
        for (Upstream up : Upstreams.load(config, config.resolve("no-apt"), List.of("amd64"), w -> { })) {
            Syncer.Report r = syncer.sync(up, new DirectoryFetcher(Path.of(up.uri())), Progress.SILENT);
            if (!r.ok()) {
                throw new IllegalStateException("the fixtures' " + up.name() + " did not verify: " + r);
            }
        }
    }

    /** The real DSA and DLA lists, and a tracker JSON at the real feed's size, through {@code demi advisories import}. */
    private static void advisories(Path jar, Path config, Path data) throws Exception {
        Path json = data.resolveSibling("tracker.json");
        // As CveAudit: 15,000 sources (every one the fixture hosts have, then the archive's others), as many as the real
        // feed covers, so that the installed ones get their share of the 40,000 CVEs and not all of them.
        ReleaseArchive.Builder b = ReleaseArchive.builder("bookworm");
        b.addPackages(new ByteArrayInputStream(BenchFixtures.plain(BenchFixtures.BOOKWORM_PACKAGES)), "bookworm", "bookworm", false);
        List<StatusEntry> dev = StatusFile.parse(BenchFixtures.raw("hosts/bookworm-dev/status"), "dev");
        List<StatusEntry> min = StatusFile.parse(BenchFixtures.raw("hosts/bookworm-minbase/status"), "min");
        CveAudit.generate(json, CveAudit.sourceVersions(b.build(), dev, min, 15_000), 40_000, new Random(7));
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "--config", config.toString(), "--data", data.toString(),
                "advisories", "import", BenchFixtures.path("tracker/DSA-list").toAbsolutePath().toString(),
                BenchFixtures.path("tracker/DLA-list").toAbsolutePath().toString(), json.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("demi advisories import: " + said);
        }
        Files.delete(json);
    }
}
