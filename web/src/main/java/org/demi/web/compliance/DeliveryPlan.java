package org.demi.web.compliance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.demi.compliance.evaluation.Available;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.PackageEvaluation;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.ssh.DeliveryFile;
import org.demi.deb.BadInputException;
import org.demi.deb.version.Version;
import org.demi.mirror.store.FileEntry;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.store.PublishedSuite;
import org.demi.mirror.store.Snapshot;

/**
 * What a host's own apt needs to upgrade offline to the versions Demi found for it: for each
 * suite of its release the mirror publishes, the suite's release files as they were verified
 * (Debian's signature in a verbatim mirror) and the package indices of the host's architecture,
 * then the {@code .deb} of each pending update. Laid out as apt reads a {@code file:} archive:
 * {@code <upstream>/dists/<suite>/...} and {@code <upstream>/pool/...}. apt checks the signature,
 * the indices' hashes and every {@code .deb}'s hash itself.
 *
 * <p>Packages the host does not have can be asked for too: their {@code .deb}s and those of what
 * they need that the host lacks ({@link DependencyClosure}) join the tree, for
 * {@code apt-get install --no-install-recommends NAME} on the host.
 *
 * @param tree      the files, each once
 * @param packages  the updates whose {@code .deb} the tree holds: {@code name:arch version}
 * @param requested the packages asked for and what they need, whose {@code .deb} the tree holds: {@code name version}
 * @param missing   the updates (or packages asked for) whose {@code .deb} the mirror could not provide, in words
 */
public record DeliveryPlan(List<DeliveryFile> tree, List<String> packages, List<String> requested, List<String> missing) {
    /** A pool file's bytes, fetched into the mirror first when its policy allows. */
    public interface Pool {
        Optional<Path> file(String upstream, FileEntry entry) throws IOException;
    }

    public DeliveryPlan {
        tree = List.copyOf(tree);
        packages = List.copyOf(packages);
        requested = List.copyOf(requested);
        missing = List.copyOf(missing);
    }

    private static final Pattern RELEASE_FILES = Pattern.compile("InRelease|Release|Release\\.gpg");

    /**
     * The plan for {@code host}: suites of the upstreams {@code configured} (the sources list in
     * force; a snapshot left by an upstream since removed is not delivered), with the packages
     * {@code ask} names and what they need.
     */
    public static DeliveryPlan of(MirrorStore mirror, Set<String> configured, Evaluator evaluator, HostEvaluation host, Pool pool,
            List<String> ask, DependencyClosure.Cache closures) throws IOException {
        String release = host.release().orElseThrow(() -> new BadInputException(host.host() + ": its release is not known"));
        String arch = host.nativeArchitecture();
        Pattern indices = Pattern.compile("[^/]+/binary-(" + Pattern.quote(arch) + "|all)/(Packages(\\.xz|\\.gz)?|Release)");
        Map<String, DeliveryFile> tree = new LinkedHashMap<>();
        for (PublishedSuite suite : mirror.publishedSuites()) {
            if (!suite.family().equals(release) || suite.notAutomatic() || !configured.contains(suite.upstream())) {
                continue;
            }
            Optional<Snapshot> snapshot = mirror.published(suite.upstream());
            if (snapshot.isEmpty()) {
                continue;
            }
            String dists = "dists/" + suite.suite() + "/";
            for (FileEntry f : snapshot.get().files()) {
                if (!f.path().startsWith(dists) || f.path().contains("/by-hash/")) {
                    continue; // apt falls back to the plain names when by-hash is missing
                }
                String rest = f.path().substring(dists.length());
                if (RELEASE_FILES.matcher(rest).matches() || indices.matcher(rest).matches()) {
                    tree.put(suite.upstream() + "/" + f.path(), new DeliveryFile(suite.upstream() + "/" + f.path(), f.sha256(), f.size(),
                            snapshot.get().tree().resolve(f.path())));
                }
            }
        }
        if (tree.isEmpty()) {
            throw new BadInputException(host.host() + ": the mirror publishes no suite of " + release);
        }
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        ReleaseArchive archive = evaluator.archive(release).orElseThrow(() -> new BadInputException(host.host()
                + ": no archive of " + release + " to judge its updates by (the mirror is not loaded yet)"));
        for (PackageEvaluation p : host.packages()) {
            if (!p.state().hasUpdate()) {
                continue;
            }
            Available a = archive.candidates(p.packageName(), p.architecture(), arch).newest();
            Optional<FileEntry> entry = a == null ? Optional.empty()
                    : mirror.published(a.origin()).flatMap(s -> s.poolFile(a.filename()));
            Optional<Path> bytes = entry.isEmpty() ? Optional.empty() : pool.file(a.origin(), entry.get());
            if (bytes.isEmpty()) {
                missing.add(p.qualifiedName() + " " + (a == null ? "(no candidate)" : a.version() + ": " + a.filename()
                        + " is not in the mirror's pool"));
                continue;
            }
            String path = a.origin() + "/" + a.filename();
            tree.putIfAbsent(path, new DeliveryFile(path, entry.get().sha256(), entry.get().size(), bytes.get()));
            packages.add(p.qualifiedName() + " " + a.version());
        }
        List<String> requested = new ArrayList<>();
        if (!ask.isEmpty()) {
            Map<String, Version> installed = new HashMap<>();
            host.packages().forEach(p -> installed.merge(p.packageName(), p.installed(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
            DependencyClosure.Result closure = closures.of(release, arch).resolve(ask, installed);
            missing.addAll(closure.missing());
            for (DependencyClosure.Candidate c : closure.chosen()) {
                Optional<FileEntry> entry = mirror.published(c.origin()).flatMap(s -> s.poolFile(c.entry().filename()));
                Optional<Path> bytes = entry.isEmpty() ? Optional.empty() : pool.file(c.origin(), entry.get());
                if (bytes.isEmpty()) {
                    missing.add(c + ": " + c.entry().filename() + " is not in the mirror's pool");
                    continue;
                }
                String path = c.origin() + "/" + c.entry().filename();
                tree.putIfAbsent(path, new DeliveryFile(path, entry.get().sha256(), entry.get().size(), bytes.get()));
                requested.add(c.toString());
            }
        }
        return new DeliveryPlan(new ArrayList<>(tree.values()), packages, requested, missing);
    }
}
