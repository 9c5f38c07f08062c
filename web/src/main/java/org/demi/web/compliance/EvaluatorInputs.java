package org.demi.web.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.evaluation.SecuritySupport;
import org.demi.deb.release.ReleaseFile;
import org.demi.deb.version.Version;
import org.demi.index.IndexedHost;
import org.demi.mirror.store.PublishedSuite;

/**
 * The fingerprint of everything an evaluator is made from, so that a server judging by the same
 * things as its index was judged by (a restart, a sync that published nothing new) does not
 * judge 100,000 hosts again to index what the index already holds. It covers:
 * <ul>
 * <li>the code that judges and indexes: the jar it runs from (a Debian upgrade of Demi brings a
 * new one), or, run from class directories, every class file's name, size and time;</li>
 * <li>every published suite: its upstream, name, the release it serves, whether it is a security
 * suite and whether apt upgrades to it, and every file its signed Release lists, with the file's
 * SHA256 (the mirror verified each against it);</li>
 * <li>every file under {@code advisories/}: the DSA and DLA lists, the tracker's data and the
 * first sighting of each CVE, each by its SHA256;</li>
 * <li>the release dates and security-support lists read from the pool, by package and version;</li>
 * <li>what the day decides by them: each release's support, and whether each listed end of a
 * source's support has passed. Not the day itself: a day that ends nobody's support judges every
 * host as the day before did, and at 100,000 hosts judging them all again costs most of an hour.</li>
 * </ul>
 * The suites and advisory files are named before they are read: should one change in between,
 * the fingerprint names the older state, and the next evaluator, differing from it, judges
 * every host again. It can only ever err towards judging again.
 */
final class EvaluatorInputs {
    private EvaluatorInputs() {
    }

    /** The fingerprint of the suites and advisory files as they are now, and of the code. */
    static String named(List<PublishedSuite> suites, Path advisoriesDir) throws IOException {
        MessageDigest d = sha256();
        line(d, "code " + Code.FINGERPRINT);
        for (PublishedSuite s : suites) {
            line(d, "suite " + s.upstream() + " " + s.suite() + " of " + s.family() + " as " + s.codename() + " security "
                    + s.security() + " not-automatic " + s.notAutomatic());
            for (ReleaseFile f : s.release().files()) {
                line(d, "file " + f.path() + " " + f.sha256());
            }
        }
        if (Files.isDirectory(advisoriesDir)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(advisoriesDir)) {
                files = list.sorted().toList();
            }
            for (Path f : files) {
                line(d, "advisories " + f.getFileName() + " " + (Files.isRegularFile(f) ? sha256(f) : "not a file"));
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * {@code named} with the release dates and security-support lists the evaluator was then
     * given, and what they decide on the evaluator's day.
     */
    static String withPoolData(String named, ReleaseCalendar calendar, SecuritySupport support, LocalDate today) {
        MessageDigest d = sha256();
        line(d, named);
        line(d, "calendar " + calendar.source() + ": " + calendar.standing(today));
        line(d, "support " + support.source() + ": " + support.standing(today));
        return HexFormat.of().formatHex(d.digest());
    }

    /** The code's fingerprint, made once per process: the classes that parse, compare, judge and index. */
    private static final class Code {
        static final String FINGERPRINT = of(Version.class, Evaluator.class, IndexedHost.class, EvaluatorInputs.class);

        private static String of(Class<?>... classes) {
            Set<Path> places = new LinkedHashSet<>();
            try {
                for (Class<?> c : classes) {
                    places.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
                }
                MessageDigest d = sha256();
                for (Path p : places) {
                    if (Files.isRegularFile(p)) {
                        line(d, "jar " + sha256(p));
                        continue;
                    }
                    List<Path> files;
                    try (Stream<Path> walk = Files.walk(p)) {
                        files = walk.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path f : files) {
                        line(d, "class " + p.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis());
                    }
                }
                return HexFormat.of().formatHex(d.digest());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Demi's own code to fingerprint it", e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException("where Demi's code is: " + e.getMessage(), e);
            }
        }
    }

    private static void line(MessageDigest d, String line) {
        d.update(line.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
