package org.demi.web.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.collect.LocalCollector;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Available;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.evaluation.SecuritySupport;
import org.demi.compliance.fleet.Fleet;
import org.demi.compliance.host.DeclaredHosts;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.host.Tokens;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.ParsedFile;
import org.demi.compliance.ssh.KnownHosts;
import org.demi.compliance.ssh.SshCollector;
import org.demi.compliance.ssh.SshIdentity;
import org.demi.compliance.tracker.TrackerData;
import org.demi.compliance.tracker.TrackerJson;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.PackagesIndex;
import org.demi.mirror.store.PublishedSuite;
import org.demi.web.app.Configuration;

/**
 * Wires the compliance module to this server's configuration and data: the hosts file, the
 * one {@link Fleet} of this process (and so its one inventory store), the advisory lists
 * under {@code advisories/}, and the mirror's published suites as the archives hosts are
 * evaluated against.
 */
public final class ComplianceSetup implements Fleet.Hosts {
    private final Path config;
    private final Path data;
    private final Path localRoot;
    private final Clock clock;
    private final ParsedFile<DeclaredHosts> hostsFile;
    private final Tokens pushTokens;
    private final Fleet fleet;
    private final ParsedFile<TrackerData> tracker;
    private final ParsedFile<Map<String, java.time.Instant>> firstSeen;

    public ComplianceSetup(Configuration c) {
        this.config = c.configDir();
        this.data = c.dataDir();
        this.localRoot = c.localRoot();
        this.clock = c.clock();
        this.hostsFile = new ParsedFile<>(config.resolve("hosts"), f -> DeclaredHosts.of(HostsFile.read(f)), DeclaredHosts.NONE);
        this.pushTokens = Tokens.forPushHosts(data.resolve("keys/push-tokens"));
        this.fleet = new Fleet(data, clock, this);
        this.tracker = new ParsedFile<>(advisoriesDir().resolve(AdvisoryFeeds.TRACKER), f -> {
            try (InputStream in = Files.newInputStream(f)) {
                return TrackerJson.parse(in, f.toString());
            }
        }, TrackerData.empty());
        this.firstSeen = new ParsedFile<>(advisoriesDir().resolve(AdvisoryFeeds.FIRST_SEEN),
                f -> Map.copyOf(AdvisoryFeeds.readFirstSeen(f.getParent())), Map.of());
    }

    public Path hostsFile() {
        return config.resolve("hosts");
    }

    /** The configured hosts; with none, the machine Demi runs on, collected locally. */
    @Override
    public List<HostSpec> hosts() throws IOException {
        DeclaredHosts declared = hostsFile.get();
        return declared.isEmpty() ? List.of(HostSpec.localMachine(localName())) : declared.all();
    }

    /** The configured host of this name (with none configured, the machine Demi runs on), if there is one. */
    @Override
    public Optional<HostSpec> host(String name) throws IOException {
        DeclaredHosts declared = hostsFile.get();
        return declared.isEmpty() ? hosts().stream().filter(h -> h.host().equals(name)).findFirst() : declared.get(name);
    }

    /** The declared hosts of these names, each of which must be declared; all of them when none is named. */
    public List<HostSpec> hosts(List<String> names) throws IOException {
        List<HostSpec> all = hosts();
        if (names.isEmpty()) {
            return all;
        }
        List<HostSpec> chosen = new ArrayList<>();
        for (String n : names) {
            chosen.add(all.stream().filter(h -> h.host().equals(n)).findFirst()
                    .orElseThrow(() -> new org.demi.deb.BadInputException("no host named '" + n + "' (see demi hosts list)")));
        }
        return chosen;
    }

    static String localName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            String shortName = dot > 0 ? name.substring(0, dot) : name;
            return shortName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}") ? shortName : "localhost";
        } catch (IOException e) {
            return "localhost";
        }
    }

    public SshIdentity sshIdentity() throws IOException {
        return SshIdentity.loadOrCreate(data.resolve("keys"));
    }

    public KnownHosts knownHosts() {
        return new KnownHosts(data.resolve("keys/known_hosts"));
    }

    public SshCollector sshCollector() throws IOException {
        return new SshCollector(sshIdentity(), knownHosts(), SshCollector.Settings.DEFAULT);
    }

    /** Collects the machine Demi runs on (its root as configured). */
    public LocalCollector localCollector() {
        return new LocalCollector(localRoot);
    }

    public Tokens pushTokens() {
        return pushTokens;
    }

    /** The fleet of this process: made once, so every part of it shares one store and one evaluator. */
    public Fleet fleet() {
        return fleet;
    }

    /** Every delivery to each host, beside its collection history. */
    public org.demi.compliance.delivery.DeliveryLog deliveries() {
        return new org.demi.compliance.delivery.DeliveryLog(data);
    }

    /** The hosts whose attempts a command beside the server recorded, told to the server. */
    public org.demi.compliance.inventory.RecordedElsewhere recordedElsewhere() {
        return new org.demi.compliance.inventory.RecordedElsewhere(data);
    }

    /** The fleet's one inventory store. */
    public InventoryStore inventories() {
        return fleet.inventories();
    }

    public Clock clock() {
        return clock;
    }

    public Path indexDir() {
        return data.resolve("index");
    }

    public Path advisoriesDir() {
        return data.resolve("advisories");
    }

    /** Every advisory of the lists under {@code advisories/} ({@code DSA-list}, {@code DLA-list}). */
    public List<Advisory> advisories() throws IOException {
        List<Advisory> all = new ArrayList<>();
        for (String name : List.of("DSA-list", "DLA-list")) {
            Path f = advisoriesDir().resolve(name);
            if (Files.exists(f)) {
                all.addAll(AdvisoryList.parse(Files.readAllBytes(f), f.toString()).advisories());
            }
        }
        return all;
    }

    /** The tracker's CVE data as held (parsed again only when it changed on disk); empty when none was loaded. */
    public TrackerData tracker() throws IOException {
        return tracker.get();
    }

    /** When each CVE id first came in a feed this server installed. */
    public Map<String, java.time.Instant> cveFirstSeen() throws IOException {
        return firstSeen.get();
    }

    /** What the index holds of a host as it stands, judged by {@code evaluator}, with its exposure to CVEs over time. */
    public org.demi.index.IndexedHost indexed(org.demi.compliance.fleet.HostState st, Evaluator evaluator) throws IOException {
        return org.demi.index.IndexedHost.of(st, fleet.cveTimeline(st, evaluator, cveFirstSeen()), waiting(st));
    }

    /** What was delivered to the host and its latest inventory does not show installed. */
    public List<org.demi.compliance.delivery.Waiting> waiting(org.demi.compliance.fleet.HostState st) throws IOException {
        return st.evaluation().isEmpty() ? List.of()
                : org.demi.compliance.delivery.Waiting.of(deliveries().of(st.host()), st.evaluation().get());
    }

    public Evaluator evaluator(MirrorStore mirror) throws IOException {
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        // Named before they are read: see EvaluatorInputs.
        String named = EvaluatorInputs.named(mirror.publishedSuites(), advisoriesDir());
        Map<String, ReleaseArchive> archives = archives(mirror);
        ReleaseCalendar calendar = calendar(mirror, archives);
        SecuritySupport support = securitySupport(mirror, archives, calendar);
        return new Evaluator(archives, new AdvisoryIndex(advisories()), tracker(), calendar, support, today)
                .madeFrom(EvaluatorInputs.withPoolData(named, calendar, support, today));
    }

    /** Where Debian's release dates come from: this package, in the mirror's suites. */
    public static final String CALENDAR_PACKAGE = "distro-info-data";
    static final String CALENDAR_FILE = "./usr/share/distro-info/debian.csv";

    /**
     * Debian's release dates from the newest distro-info-data the mirror's suites offer, read
     * from its .deb when the mirror holds it (verified against the signed index as every pool
     * file is); none otherwise, and every release's support is then "mirrored" (unknown).
     */
    public static ReleaseCalendar calendar(MirrorStore mirror, Map<String, ReleaseArchive> archives) throws IOException {
        Optional<Deb> deb = newestInPool(mirror, archives, CALENDAR_PACKAGE);
        if (deb.isEmpty()) {
            return ReleaseCalendar.NONE;
        }
        Optional<byte[]> csv = org.demi.deb.packages.DebFile.dataFile(deb.get().file(), CALENDAR_FILE, 1 << 20);
        return csv.map(b -> ReleaseCalendar.parse(b, deb.get().name())).orElse(ReleaseCalendar.NONE);
    }

    /** Where the security team's limits on single packages come from: this package, in the mirror's suites. */
    public static final String SUPPORT_PACKAGE = "debian-security-support";
    static final String SUPPORT_DIR = "./usr/share/debian-security-support/";

    /**
     * debian-security-support's lists from the newest such package the mirror's suites offer
     * and hold (verified like any pool file): the limited list, and the ended list of each
     * release the calendar numbers. None when the mirror does not hold the package.
     */
    public static SecuritySupport securitySupport(MirrorStore mirror, Map<String, ReleaseArchive> archives, ReleaseCalendar calendar)
            throws IOException {
        Optional<Deb> deb = newestInPool(mirror, archives, SUPPORT_PACKAGE);
        if (deb.isEmpty()) {
            return SecuritySupport.NONE;
        }
        Path file = deb.get().file();
        List<SecuritySupport.Limited> limited = org.demi.deb.packages.DebFile.dataFile(file, SUPPORT_DIR + "security-support-limited", 1 << 20)
                .map(b -> SecuritySupport.parseLimited(b, deb.get().name() + ": security-support-limited")).orElse(List.of());
        Map<String, List<SecuritySupport.Ended>> ended = new LinkedHashMap<>();
        for (ReleaseCalendar.Dates d : calendar.bySeries().values()) {
            if (d.version().matches("[0-9]+")) {
                String name = "security-support-ended.deb" + d.version();
                org.demi.deb.packages.DebFile.dataFile(file, SUPPORT_DIR + name, 1 << 20)
                        .ifPresent(b -> ended.put(d.version(), SecuritySupport.parseEnded(b, deb.get().name() + ": " + name)));
            }
        }
        return new SecuritySupport(ended, limited, deb.get().name());
    }

    /** A package's .deb in the mirror's pool, and its name and version for the pages. */
    private record Deb(Path file, String name) {
    }

    /** The newest version of {@code pkg} the published suites offer, when its .deb is in the pool. */
    private static Optional<Deb> newestInPool(MirrorStore mirror, Map<String, ReleaseArchive> archives, String pkg) throws IOException {
        Optional<Available> newest = ReleaseArchive.newest(archives.values(), pkg);
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        Available a = newest.get();
        Optional<org.demi.mirror.store.FileEntry> entry = mirror.published(a.origin()).flatMap(s -> s.poolFile(a.filename()));
        if (entry.isEmpty() || !mirror.pool().has(entry.get().sha256())) {
            return Optional.empty();
        }
        return Optional.of(new Deb(mirror.pool().path(entry.get().sha256()), pkg + " " + a.version()));
    }

    /**
     * The releases the published suites serve, each suite under the release it belongs to
     * ({@code bookworm-security} under {@code bookworm}). Suites apt does not upgrade to by
     * default ({@code NotAutomatic: yes}, as backports) are left out.
     */
    public static Map<String, ReleaseArchive> archives(MirrorStore mirror) throws IOException {
        Map<String, ReleaseArchive.Builder> builders = new LinkedHashMap<>();
        for (PublishedSuite suite : mirror.publishedSuites()) {
            if (suite.notAutomatic()) {
                continue;
            }
            ReleaseArchive.Builder b = builders.computeIfAbsent(suite.family(), ReleaseArchive::builder);
            for (PackagesIndex index : suite.packages()) {
                try (InputStream in = index.open()) {
                    b.addPackages(in, index.name(), suite.codename(), suite.security(), suite.upstream());
                }
            }
        }
        Map<String, ReleaseArchive> out = new LinkedHashMap<>();
        builders.forEach((k, v) -> out.put(k, v.build()));
        return out;
    }
}
