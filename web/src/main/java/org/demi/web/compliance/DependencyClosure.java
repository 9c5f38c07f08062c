package org.demi.web.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.packages.Relationship;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.version.Version;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.PackagesIndex;
import org.demi.mirror.store.PublishedSuite;

/**
 * What a host's apt needs delivered to install packages it does not have: each package asked
 * for and, through {@code Pre-Depends} and {@code Depends}, every package it needs that the host
 * does not have installed at a version that will do. Of a group of alternatives, one already
 * met by the host (or by what is delivered) is enough; else the first that the mirror offers,
 * directly or through a package that {@code Provides} it. The newest version the suites of the
 * host's release offer is taken, as apt does with no pinning. apt on the host makes the real
 * choice; this only makes sure what it will choose from is there. {@code Recommends} are not
 * followed (they can pull in much, systemd and a desktop's libraries for unattended-upgrades):
 * the host installs with {@code --no-install-recommends}, or asks for them by name.
 */
public final class DependencyClosure {
    /** One binary package the suites offer, with the relationships that decide what it pulls in. */
    public record Candidate(PackageEntry entry, String origin, List<List<Relationship>> needs, List<Relationship> provides) {
        @Override
        public String toString() {
            return entry.packageName() + " " + entry.version();
        }
    }

    /**
     * @param chosen  what to deliver, the packages asked for first
     * @param missing what could not be found, in words
     */
    public record Result(List<Candidate> chosen, List<String> missing) {
        public Result {
            chosen = List.copyOf(chosen);
            missing = List.copyOf(missing);
        }
    }

    /** The closures of one run of deliveries, each release and architecture's indices read once, when first asked. */
    public static final class Cache {
        private final MirrorStore mirror;
        private final Set<String> configured;
        private final Map<String, DependencyClosure> read = new HashMap<>();

        public Cache(MirrorStore mirror, Set<String> configured) {
            this.mirror = mirror;
            this.configured = Set.copyOf(configured);
        }

        public DependencyClosure of(String release, String architecture) throws IOException {
            String key = release + "/" + architecture;
            DependencyClosure c = read.get(key);
            if (c == null) {
                c = DependencyClosure.of(mirror, configured, release, architecture);
                read.put(key, c);
            }
            return c;
        }
    }

    private final String release;
    private final Map<String, Candidate> newest = new HashMap<>();
    private final Map<String, List<Candidate>> providers = new HashMap<>();

    private DependencyClosure(String release) {
        this.release = release;
    }

    /**
     * The packages of {@code release} for {@code architecture} (and {@code all}) in the suites the
     * mirror publishes from the upstreams {@code configured}, as {@link DeliveryPlan} delivers them.
     */
    public static DependencyClosure of(MirrorStore mirror, Set<String> configured, String release, String architecture) throws IOException {
        DependencyClosure c = new DependencyClosure(release);
        Paragraph.Names fields = Paragraph.Names.of("Pre-Depends", "Depends", "Provides");
        for (PublishedSuite suite : mirror.publishedSuites()) {
            if (!suite.family().equals(release) || suite.notAutomatic() || !configured.contains(suite.upstream())) {
                continue;
            }
            for (PackagesIndex index : suite.packages()) {
                if (!index.architecture().equals(architecture) && !index.architecture().equals("all")) {
                    continue;
                }
                try (InputStream in = index.open(); ParagraphReader r = new ParagraphReader(in, index.name())) {
                    for (Paragraph p; (p = r.next()) != null; ) {
                        PackageEntry e = PackageEntry.of(p);
                        if (!e.architecture().equals(architecture) && !e.architecture().equals("all")) {
                            continue;
                        }
                        int[] at = p.find(fields);
                        List<List<Relationship>> needs = new ArrayList<>(Relationship.parseField(flat(p.valueOr(at[0], ""))));
                        needs.addAll(Relationship.parseField(flat(p.valueOr(at[1], ""))));
                        List<Relationship> provides = new ArrayList<>();
                        Relationship.parseField(flat(p.valueOr(at[2], ""))).forEach(provides::addAll);
                        c.offer(new Candidate(e, suite.upstream(), List.copyOf(needs), List.copyOf(provides)));
                    }
                }
            }
        }
        return c;
    }

    private static String flat(String field) {
        return field.replace('\n', ' ');
    }

    private void offer(Candidate c) {
        newest.merge(c.entry().packageName(), c, (a, b) -> b.entry().version().compareTo(a.entry().version()) > 0 ? b : a);
        for (Relationship p : c.provides()) {
            providers.computeIfAbsent(p.packageName(), k -> new ArrayList<>()).add(c);
        }
    }

    /** The closure of {@code requested} on a host with {@code installed} (package name to version). */
    public Result resolve(List<String> requested, Map<String, Version> installed) {
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        Deque<Candidate> work = new ArrayDeque<>();
        for (String name : requested) {
            Relationship asked = Relationship.parse(name);
            if (met(asked, installed, chosen)) {
                continue;
            }
            Candidate c = offered(asked);
            if (c == null) {
                missing.add(name + ": no package of that name (nor one that provides it) in the mirror's suites of " + release);
            } else if (chosen.putIfAbsent(c.entry().packageName(), c) == null) {
                work.add(c);
            }
        }
        while (!work.isEmpty()) {
            Candidate c = work.poll();
            for (List<Relationship> group : c.needs()) {
                if (group.stream().anyMatch(a -> met(a, installed, chosen))) {
                    continue;
                }
                Candidate pick = group.stream().map(this::offered).filter(java.util.Objects::nonNull).findFirst().orElse(null);
                if (pick == null) {
                    missing.add(c + " needs " + String.join(" | ", group.stream().map(Relationship::toString).toList())
                            + ": neither installed nor in the mirror's suites of " + release);
                } else if (chosen.putIfAbsent(pick.entry().packageName(), pick) == null) {
                    work.add(pick);
                }
            }
        }
        return new Result(new ArrayList<>(chosen.values()), missing);
    }

    /** Whether the host has, or is being delivered, a package that meets {@code r}. */
    private boolean met(Relationship r, Map<String, Version> installed, Map<String, Candidate> chosen) {
        Version have = installed.get(r.packageName());
        if (have != null && r.allows(have)) {
            return true;
        }
        Candidate c = chosen.get(r.packageName());
        if (c != null && r.allows(c.entry().version())) {
            return true;
        }
        for (Candidate p : providers.getOrDefault(r.packageName(), List.of())) {
            String name = p.entry().packageName();
            if ((installed.containsKey(name) || chosen.containsKey(name)) && provides(p, r)) {
                return true;
            }
        }
        return false;
    }

    /** The newest package that meets {@code r}: of its name, else one that provides it. */
    private Candidate offered(Relationship r) {
        Candidate c = newest.get(r.packageName());
        if (c != null && r.allows(c.entry().version())) {
            return c;
        }
        return providers.getOrDefault(r.packageName(), List.of()).stream().map(p -> newest.get(p.entry().packageName()))
                .filter(p -> provides(p, r)).findFirst().orElse(null);
    }

    /** Policy 7.5: a versioned relationship is met only by a provision of that exact version. */
    private static boolean provides(Candidate p, Relationship r) {
        return p.provides().stream().anyMatch(v -> v.packageName().equals(r.packageName())
                && (r.relation().isEmpty() || v.version().isPresent() && r.allows(v.version().get())));
    }
}
