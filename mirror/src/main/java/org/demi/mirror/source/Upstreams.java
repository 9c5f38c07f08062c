package org.demi.mirror.source;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.demi.deb.BadInputException;

/**
 * Where the upstreams come from: Demi's own {@code <config>/sources.list} and
 * {@code <config>/sources.list.d/*.{list,sources}}; when there are none, what this machine's
 * apt uses ({@code /etc/apt/sources.list} and {@code /etc/apt/sources.list.d/}). Entries for
 * the same URI are merged into one {@link Upstream}.
 */
public final class Upstreams {
    private Upstreams() {
    }

    /**
     * @param configDir    Demi's configuration directory
     * @param aptDir       apt's configuration directory ({@code /etc/apt})
     * @param defaultArchs architectures for entries that name none
     * @param warnings     told about the machine's own entries Demi cannot mirror (skipped)
     */
    public static List<Upstream> load(Path configDir, Path aptDir, List<String> defaultArchs, Consumer<String> warnings)
            throws IOException {
        List<AptSource> own = read(configDir, null);
        if (!own.isEmpty()) {
            return merge(own, defaultArchs);
        }
        return merge(read(aptDir, warnings), defaultArchs);
    }

    private static List<AptSource> read(Path dir, Consumer<String> lenient) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("sources.list"))) {
            files.add(dir.resolve("sources.list"));
        }
        Path d = dir.resolve("sources.list.d");
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().matches("[A-Za-z0-9_.-]+\\.(list|sources)"))
                        .filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        List<AptSource> out = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (lenient == null) {
                out.addAll(parse(f, text));
                continue;
            }
            if (f.toString().endsWith(".sources")) {
                try {
                    out.addAll(parse(f, text));
                } catch (BadInputException e) {
                    lenient.accept("skipped " + e.getMessage());
                }
            } else {
                // Line by line, so one unusable line (a cdrom: entry, say) does not hide the rest.
                out.addAll(SourcesParser.parseList(text, f.toString(), m -> lenient.accept("skipped " + m)));
            }
        }
        return out;
    }

    private static List<AptSource> parse(Path f, String text) {
        return f.toString().endsWith(".sources")
                ? SourcesParser.parseSources(text, f.toString())
                : SourcesParser.parseList(text, f.toString());
    }

    /** Merges entries by URI and names each upstream after the last segment of its path. */
    public static List<Upstream> merge(List<AptSource> sources, List<String> defaultArchs) {
        Map<URI, List<AptSource>> byUri = new LinkedHashMap<>();
        for (AptSource s : sources) {
            byUri.computeIfAbsent(s.uri(), k -> new ArrayList<>()).add(s);
        }
        List<Upstream> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (var e : byUri.entrySet()) {
            URI uri = e.getKey();
            Map<String, Merged> suites = new LinkedHashMap<>();
            PoolPolicy pool = null;
            PublishMode publish = null;
            for (AptSource s : e.getValue()) {
                if (pool != null && pool != s.pool()) {
                    throw new BadInputException(s.origin() + ": pool policy " + s.pool().label()
                            + " differs from " + pool.label() + " given for the same URI " + uri);
                }
                if (publish != null && publish != s.publish()) {
                    throw new BadInputException(s.origin() + ": publish mode differs from an earlier entry for " + uri);
                }
                pool = s.pool();
                publish = s.publish();
                for (String suite : s.suites()) {
                    Merged m = suites.computeIfAbsent(suite, k -> new Merged(s.signedBy()));
                    if (!m.signedBy.equals(s.signedBy())) {
                        throw new BadInputException(s.origin() + ": Signed-By for " + uri + " " + suite
                                + " differs from an earlier entry (apt refuses this too)");
                    }
                    m.components.addAll(s.components());
                    m.architectures.addAll(s.architectures().isEmpty() ? defaultArchs : s.architectures());
                    m.binaries |= s.types().contains("deb");
                    m.sources |= s.types().contains("deb-src");
                }
            }
            List<SuiteSpec> specs = new ArrayList<>();
            suites.forEach((suite, m) -> specs.add(new SuiteSpec(suite, List.copyOf(m.components),
                    List.copyOf(m.architectures), m.binaries, m.sources, m.signedBy)));
            String name = nameOf(uri);
            if (!names.add(name)) {
                name = (uri.getHost() == null ? "local" : uri.getHost()) + "-" + name;
                if (!names.add(name)) {
                    throw new BadInputException("two upstreams would both be published as '" + name + "'");
                }
            }
            out.add(new Upstream(name, uri, specs, pool, publish));
        }
        return out;
    }

    static String nameOf(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty()) {
                return parts[i].replaceAll("[^A-Za-z0-9._+-]", "_");
            }
        }
        return uri.getHost() == null ? "local" : uri.getHost();
    }

    private static final class Merged {
        final SignedBy signedBy;
        final Set<String> components = new LinkedHashSet<>();
        final Set<String> architectures = new LinkedHashSet<>();
        boolean binaries;
        boolean sources;

        Merged(SignedBy signedBy) {
            this.signedBy = signedBy;
        }
    }
}
