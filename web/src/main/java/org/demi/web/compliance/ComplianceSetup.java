package org.demi.web.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.deb.compression.Compression;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.release.Release;
import org.demi.deb.release.ReleaseFile;
import org.demi.mirror.pgp.ClearsignedMessage;
import org.demi.mirror.store.MirrorStore;

/**
 * Wires the compliance module to this server's configuration and data: the hosts file, the
 * inventory store, the advisory lists under {@code advisories/}, and the mirror's published
 * snapshots as the archives hosts are evaluated against.
 */
public final class ComplianceSetup {
    /** A host whose last good inventory is older than this is stale. */
    public static final Duration STALE_AFTER = Duration.ofHours(48);

    private final Path config;
    private final Path data;
    private final Clock clock;

    private final org.demi.compliance.inventory.ParsedFile<List<HostSpec>> hostsFile;

    public ComplianceSetup(Path config, Path data, Clock clock) {
        this.config = config;
        this.data = data;
        this.clock = clock;
        this.hostsFile = new org.demi.compliance.inventory.ParsedFile<>(config.resolve("hosts"), HostsFile::read, List.of());
    }

    public Path hostsFile() {
        return config.resolve("hosts");
    }

    /** The configured hosts; with none, the machine Demi runs on, collected locally. */
    public List<HostSpec> hosts() throws IOException {
        List<HostSpec> declared = hostsFile.get();
        return declared.isEmpty() ? List.of(HostSpec.localMachine(localName())) : declared;
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

    public org.demi.compliance.ssh.SshIdentity sshIdentity() throws IOException {
        return org.demi.compliance.ssh.SshIdentity.loadOrCreate(data.resolve("keys"));
    }

    public org.demi.compliance.ssh.KnownHosts knownHosts() {
        return new org.demi.compliance.ssh.KnownHosts(data.resolve("keys/known_hosts"));
    }

    public org.demi.compliance.ssh.SshCollector sshCollector() throws IOException {
        return new org.demi.compliance.ssh.SshCollector(sshIdentity(), knownHosts(),
                org.demi.compliance.ssh.SshCollector.Settings.DEFAULT);
    }

    public org.demi.compliance.host.PushTokens pushTokens() {
        return new org.demi.compliance.host.PushTokens(data.resolve("keys/push-tokens"));
    }

    public InventoryStore inventories() {
        return new InventoryStore(data, clock);
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

    public Evaluator evaluator(MirrorStore mirror) throws IOException {
        return new Evaluator(archives(mirror), new AdvisoryIndex(advisories()));
    }

    /**
     * The releases the published snapshots serve. A suite belongs to the release its codename
     * starts with ({@code bookworm-security} to {@code bookworm}); it is a security suite when
     * its codename ends in {@code -security} or its Label says Security. Suites apt does not
     * upgrade to by default ({@code NotAutomatic: yes}, as backports) are left out.
     */
    public Map<String, ReleaseArchive> archives(MirrorStore mirror) throws IOException {
        Map<String, ReleaseArchive.Builder> builders = new LinkedHashMap<>();
        Path published = mirror.publishedDir();
        if (!Files.isDirectory(published)) {
            return Map.of();
        }
        List<Path> trees;
        try (Stream<Path> s = Files.list(published)) {
            trees = s.filter(Files::isSymbolicLink).sorted().toList();
        }
        for (Path tree : trees) {
            Path dists = tree.resolve("dists");
            if (!Files.isDirectory(dists)) {
                continue;
            }
            List<Path> suites;
            try (Stream<Path> s = Files.list(dists)) {
                suites = s.filter(Files::isDirectory).sorted().toList();
            }
            for (Path suiteDir : suites) {
                Optional<Paragraph> releaseParagraph = releaseOf(suiteDir);
                if (releaseParagraph.isEmpty() || "yes".equalsIgnoreCase(releaseParagraph.get().get("NotAutomatic"))) {
                    continue;
                }
                Release release = Release.of(releaseParagraph.get());
                String codename = release.codename().isEmpty() ? release.suite() : release.codename();
                if (codename.isEmpty()) {
                    continue;
                }
                String family = codename.contains("-") ? codename.substring(0, codename.indexOf('-')) : codename;
                boolean security = codename.endsWith("-security") || release.label().toLowerCase().contains("security");
                ReleaseArchive.Builder b = builders.computeIfAbsent(family, ReleaseArchive::builder);
                for (Path index : packagesIndices(suiteDir, release)) {
                    try (InputStream in = Compression.open(index, true).stream()) {
                        b.addPackages(in, index.toString(), codename, security, tree.getFileName().toString());
                    }
                }
            }
        }
        Map<String, ReleaseArchive> out = new LinkedHashMap<>();
        builders.forEach((k, v) -> out.put(k, v.build()));
        return out;
    }

    private static Optional<Paragraph> releaseOf(Path suiteDir) throws IOException {
        byte[] text;
        if (Files.exists(suiteDir.resolve("InRelease"))) {
            // Verified when it was mirrored; only its signed text is read.
            text = ClearsignedMessage.split(Files.readAllBytes(suiteDir.resolve("InRelease")), suiteDir + "/InRelease").text();
        } else if (Files.exists(suiteDir.resolve("Release"))) {
            text = Files.readAllBytes(suiteDir.resolve("Release"));
        } else {
            return Optional.empty();
        }
        try (ParagraphReader r = new ParagraphReader(new java.io.ByteArrayInputStream(text), suiteDir + "/Release")) {
            return Optional.ofNullable(r.next());
        }
    }

    /** One Packages index per component and architecture, the uncompressed one when present. */
    private static List<Path> packagesIndices(Path suiteDir, Release release) {
        Map<String, Path> best = new LinkedHashMap<>();
        for (ReleaseFile f : release.files()) {
            String p = f.path();
            String base = p.replaceFirst("\\.(xz|gz|bz2)$", "");
            if (!base.matches("[^/]+/binary-[^/]+/Packages") || !Files.isRegularFile(suiteDir.resolve(p))) {
                continue;
            }
            Path current = best.get(base);
            if (current == null || p.equals(base) || (!current.getFileName().toString().equals("Packages") && p.endsWith(".xz"))) {
                best.put(base, suiteDir.resolve(p));
            }
        }
        return List.copyOf(best.values());
    }
}
