package org.demi.web.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.AdvisoryList;
import org.demi.deb.BadInputException;
import org.demi.deb.io.Durable;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.fetch.ProxySettings;
import org.demi.web.mirror.MirrorSetup;

/**
 * The security tracker's two lists as the server holds them ({@code <data>/advisories/DSA-list}
 * and {@code DLA-list}): installed whole when they parse, fetched by {@code demi advisories
 * sync} and periodically by {@code demi serve}, or imported from disk. A failed fetch leaves
 * the previous list and a note of what failed ({@code <list>.failed}: when, from where, why),
 * which the pages' banner shows until a fetch or an import succeeds.
 */
public final class AdvisoryFeeds {
    /** A list older than this is worth a warning: the tracker publishes several times a day. */
    public static final Duration OLD_AFTER = Duration.ofHours(48);
    public static final List<String> LISTS = List.of("DSA-list", "DLA-list");

    /** The security tracker's lists, as its own repository publishes them. */
    public static final String DSA_URL = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list";
    public static final String DLA_URL = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list";

    /** Where each list is fetched from: a URL, or {@code none} to skip it. */
    public record Sources(String dsa, String dla) {
        public static final Sources DEFAULT = new Sources(DSA_URL, DLA_URL);

        Map<String, String> byList() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("DSA-list", dsa);
            m.put("DLA-list", dla);
            return m;
        }
    }

    /** One list as held: when it was installed (if it is), and the last failed fetch since (if any). */
    public record Held(String list, Optional<Instant> installed, Optional<String> failure) {
    }

    private final Path dir;
    private final Clock clock;

    public AdvisoryFeeds(Path advisoriesDir, Clock clock) {
        this.dir = advisoriesDir;
        this.clock = clock;
    }

    /**
     * Checks a list and makes it the server's list of its kind; nothing changes unless it
     * parses into advisories of one kind ({@code expected} when given). Clears the kind's
     * failure note.
     *
     * @return what was installed, in one line
     */
    public String install(byte[] bytes, String from, String expected, PrintWriter err) throws IOException {
        AdvisoryList list = AdvisoryList.parse(bytes, from);
        List<Advisory> advisories = list.advisories();
        if (advisories.isEmpty()) {
            throw new BadInputException(from + ": no advisory in it" + (list.problems().isEmpty() ? ""
                    : " (first problem: " + list.problems().get(0) + ")"));
        }
        long dsa = advisories.stream().filter(a -> a.id().startsWith("DSA-")).count();
        long dla = advisories.stream().filter(a -> a.id().startsWith("DLA-")).count();
        if (dsa > 0 && dla > 0 || dsa + dla == 0) {
            throw new BadInputException(from + ": not a DSA list nor a DLA list (" + dsa + " DSAs, " + dla + " DLAs)");
        }
        String name = dsa > 0 ? "DSA-list" : "DLA-list";
        if (expected != null && !expected.equals(name)) {
            throw new BadInputException(from + ": a " + name + " where a " + expected + " was expected");
        }
        Files.createDirectories(dir);
        Durable.write(dir.resolve(name), bytes);
        Files.deleteIfExists(dir.resolve(name + ".failed"));
        list.problems().stream().limit(10).forEach(p -> err.println("demi: warning: " + p));
        return name + ": " + advisories.size() + " advisories from " + from
                + (list.problems().isEmpty() ? "" : ", " + list.problems().size() + " line(s) skipped");
    }

    /**
     * Fetches each list over HTTP(S) with the mirror's timeouts and proxy and installs those
     * that parse. A failure names the URL and the reason, is noted for the banner, and says
     * "the previous list stays" only when there is one.
     *
     * @return how many lists were installed, and how many failed
     */
    public int[] sync(Sources sources, PrintWriter out, PrintWriter err) throws IOException {
        int installed = 0;
        int failed = 0;
        for (Map.Entry<String, String> e : sources.byList().entrySet()) {
            String list = e.getKey();
            String url = e.getValue();
            if (url.equals("none")) {
                continue;
            }
            try {
                URI uri = URI.create(url);
                String path = uri.getPath();
                Fetcher fetcher = Fetcher.of(uri.resolve("."), MirrorSetup.CONNECT_TIMEOUT, MirrorSetup.STALL_TIMEOUT,
                        ProxySettings.discover(System.getenv()));
                byte[] bytes;
                try (InputStream in = fetcher.open(path.substring(path.lastIndexOf('/') + 1))) {
                    bytes = in.readNBytes(AdvisoryList.MAX_BYTES + 1);
                }
                out.println(install(bytes, url, list, err));
                installed++;
            } catch (IOException | IllegalArgumentException | BadInputException e2) {
                String reason = e2.getMessage() == null ? e2.getClass().getSimpleName() : e2.getMessage();
                // A fetch failure names its URL already; a list that does not parse names where it came from.
                String what = e2 instanceof org.demi.mirror.fetch.FetchException || e2 instanceof BadInputException
                        ? reason : url + ": " + reason;
                Files.createDirectories(dir);
                Durable.write(dir.resolve(list + ".failed"), (clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\t" + what)
                        .replace('\n', ' ').getBytes(StandardCharsets.UTF_8));
                err.println("demi: " + list + ": the fetch failed: " + what
                        + (Files.exists(dir.resolve(list)) ? "; the previous list stays" : "; no list is held"));
                failed++;
            }
        }
        out.flush();
        err.flush();
        return new int[] {installed, failed};
    }

    /** Each list as held now. */
    public List<Held> held() throws IOException {
        List<Held> out = new ArrayList<>();
        for (String list : LISTS) {
            Optional<Instant> installed;
            try {
                installed = Optional.of(Files.getLastModifiedTime(dir.resolve(list)).toInstant().truncatedTo(ChronoUnit.SECONDS));
            } catch (NoSuchFileException e) {
                installed = Optional.empty();
            }
            Optional<String> failure;
            try {
                failure = Optional.of(Files.readString(dir.resolve(list + ".failed"), StandardCharsets.UTF_8).strip());
            } catch (NoSuchFileException e) {
                failure = Optional.empty();
            }
            out.add(new Held(list, installed, failure));
        }
        return out;
    }

    /**
     * What every page should warn of: a list missing, whose last fetch failed, or older than
     * {@link #OLD_AFTER}; each naming the list, its age, the last error, and how to load it
     * offline. Empty when all is well.
     */
    public List<String> warnings() throws IOException {
        Instant now = clock.instant();
        List<String> out = new ArrayList<>();
        for (Held h : held()) {
            String kind = h.list().startsWith("DSA") ? "Debian Security Advisories (DSA list)" : "Debian LTS Advisories (DLA list)";
            StringBuilder w = new StringBuilder();
            if (h.installed().isEmpty()) {
                w.append("No ").append(kind).append(" loaded: advisories of that kind are not known to be open or fixed.");
            } else if (h.installed().get().isBefore(now.minus(OLD_AFTER)) || h.failure().isPresent()) {
                w.append("The ").append(kind).append(" is ").append(age(Duration.between(h.installed().get(), now)))
                        .append(" old (loaded ").append(h.installed().get()).append(").");
            } else {
                continue;
            }
            h.failure().ifPresent(f -> {
                int tab = f.indexOf('\t');
                w.append(" Its last fetch failed").append(tab > 0 ? " at " + f.substring(0, tab) + ": " + f.substring(tab + 1) : ": " + f)
                        .append('.');
            });
            w.append(" Without access to the tracker, load a copy of its data/").append(h.list().substring(0, 3))
                    .append("/list offline with: demi advisories import FILE");
            out.add(w.toString());
        }
        return out;
    }

    static String age(Duration d) {
        long hours = d.toHours();
        return hours < 48 ? Math.max(hours, 0) + " h" : hours / 24 + " days";
    }
}
