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
import org.demi.compliance.tracker.CveIds;
import org.demi.compliance.tracker.TrackerData;
import org.demi.compliance.tracker.TrackerJson;
import org.demi.deb.BadInputException;
import org.demi.deb.io.Durable;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.fetch.ProxySettings;
import org.demi.web.mirror.MirrorSetup;

/**
 * The security tracker's data as the server holds it, three feeds under {@code <data>/advisories/}:
 * {@code DSA-list} and {@code DLA-list} (the advisories) and {@code tracker-json} (every CVE, per
 * source package and release, as received: plain or compressed). Each is installed whole when it
 * parses, fetched by {@code demi advisories sync} and periodically by {@code demi serve}, or
 * imported from disk. A failed fetch leaves the previous feed and a note of what failed
 * ({@code <feed>.failed}: when, from where, why), which the pages' banner shows until a fetch or
 * an import succeeds. The tracker's JSON is also refused when it looks older than the one held or
 * shrinks implausibly; {@code cve-first-seen} records when each CVE id first came in a feed.
 */
public final class AdvisoryFeeds {
    /** A list older than this is worth a warning: the tracker publishes several times a day. */
    public static final Duration OLD_AFTER = Duration.ofHours(48);
    /** The tracker's JSON as held. */
    public static final String TRACKER = "tracker-json";
    /** When each CVE id first came in an installed tracker feed: {@code ID<TAB>instant}, a line each. */
    public static final String FIRST_SEEN = "cve-first-seen";
    public static final List<String> LISTS = List.of("DSA-list", "DLA-list", TRACKER);
    /** Held CVE ids newer than the newest of a new feed, beyond which the new one is taken for an older copy. */
    static final int NEWER_HELD_TOLERATED = 5;

    /** The security tracker's lists, as its own repository publishes them. */
    public static final String DSA_URL = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list";
    public static final String DLA_URL = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list";
    /** The tracker's JSON, as its web site serves it. */
    public static final String JSON_URL = "https://security-tracker.debian.org/tracker/data/json";

    /** Where each feed is fetched from: a URL, or {@code none} to skip it. */
    public record Sources(String dsa, String dla, String json) {
        public static final Sources DEFAULT = new Sources(DSA_URL, DLA_URL, JSON_URL);

        Map<String, String> byList() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("DSA-list", dsa);
            m.put("DLA-list", dla);
            m.put(TRACKER, json);
            return m;
        }
    }

    /** One list as held: when it was installed (if it is), and the last failed fetch since (if any). */
    public record Held(String list, Optional<Instant> installed, Optional<String> failure) {
        /** Installed, but longer ago than {@link #OLD_AFTER}. */
        public boolean old(Instant now) {
            return installed.isPresent() && installed.get().isBefore(now.minus(OLD_AFTER));
        }

        /** Missing, old, or its last fetch failed: what the pages warn of and a notification tells. */
        public boolean wanting(Instant now) {
            return installed.isEmpty() || old(now) || failure.isPresent();
        }
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
     * Installs a feed from a file: the tracker's JSON (plain or compressed, told by its content)
     * or a DSA or DLA list.
     */
    public String install(Path file, String from, PrintWriter err) throws IOException {
        int first = firstNonBlank(file);
        if (first == '<') {
            throw new BadInputException(from + ": an HTML or XML page, not a DSA or DLA list nor the tracker's JSON");
        }
        if (first == '{') {
            Path copy = Durable.tempBeside(dir.resolve(TRACKER));
            Files.createDirectories(dir);
            try {
                Files.copy(file, copy);
                return installTracker(copy, from);
            } finally {
                Files.deleteIfExists(copy);
            }
        }
        if (Files.size(file) > AdvisoryList.MAX_BYTES) {
            throw new BadInputException(from + ": larger than any advisory list (" + Files.size(file) + " bytes)");
        }
        return install(Files.readAllBytes(file), from, null, err);
    }

    /** The first character of a file's content, once decompressed, that is not white space; -1 for none. */
    static int firstNonBlank(Path file) throws IOException {
        try (org.demi.deb.compression.Compression.Opened in = org.demi.deb.compression.Compression.open(Files.newInputStream(file))) {
            for (int i = 0; i < 4096; i++) {
                int c = in.stream().read();
                if (c < 0 || !Character.isWhitespace(c)) {
                    return c;
                }
            }
            return -1;
        }
    }

    /**
     * Makes {@code candidate} (a file in the advisories directory, renamed into place on success)
     * the server's tracker feed when it parses and is not older or implausibly smaller than the
     * one held; records the CVE ids seen for the first time.
     */
    private String installTracker(Path candidate, String from) throws IOException {
        TrackerData fresh;
        try (InputStream in = Files.newInputStream(candidate)) {
            fresh = TrackerJson.parse(in, from);
        }
        Path held = dir.resolve(TRACKER);
        if (Files.exists(held)) {
            TrackerData old;
            try (InputStream in = Files.newInputStream(held)) {
                old = TrackerJson.parse(in, held.toString());
            }
            refuseImplausible(from, old, fresh);
        }
        Map<String, Instant> seen = readFirstSeen(dir);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        int added = 0;
        for (String id : new java.util.TreeSet<>(fresh.cveIds())) {
            if (seen.putIfAbsent(id, now) == null) {
                added++;
            }
        }
        StringBuilder ledger = new StringBuilder();
        seen.forEach((id, t) -> ledger.append(id).append('\t').append(t).append('\n'));
        Durable.write(dir.resolve(FIRST_SEEN), ledger.toString().getBytes(StandardCharsets.UTF_8));
        Durable.rename(candidate, held);
        Files.deleteIfExists(dir.resolve(TRACKER + ".failed"));
        return TRACKER + ": " + fresh.ids() + " CVEs over " + fresh.size() + " source entries, releases "
                + String.join(" ", fresh.perRelease().keySet()) + ", from " + from + " (" + added + " new)";
    }

    /**
     * A feed that lost a release, lost more than a fifth of its entries, or lacks more than a few
     * of the newest CVE ids of the one held is a rollback, a truncated export or an attack, not
     * the tracker's progress: refused, and the held one stays.
     */
    static void refuseImplausible(String from, TrackerData old, TrackerData fresh) {
        for (String release : old.perRelease().keySet()) {
            if (!fresh.perRelease().containsKey(release)) {
                throw new BadInputException(from + ": refused: release " + release + " is missing, which the held feed has");
            }
        }
        if (fresh.size() < old.size() - old.size() / 5) {
            throw new BadInputException(from + ": refused: " + fresh.size() + " source entries where the held feed has "
                    + old.size() + " (more than a fifth fewer)");
        }
        java.util.Optional<String> newest = fresh.cveIds().stream().filter(CveIds::isCve).max(CveIds.ORDER);
        if (newest.isPresent()) {
            List<String> newer = old.cveIds().stream().filter(CveIds::isCve)
                    .filter(id -> CveIds.ORDER.compare(id, newest.get()) > 0 && fresh.entries(id).isEmpty()).sorted(CveIds.ORDER).toList();
            if (newer.size() > NEWER_HELD_TOLERATED) {
                throw new BadInputException(from + ": refused: older than the held feed (its newest CVE is " + newest.get()
                        + ", and the held feed has " + newer.size() + " newer ones, up to " + newer.get(newer.size() - 1) + ")");
            }
        }
    }

    /** When each CVE id first came in an installed feed; empty when no feed was ever installed. */
    public static Map<String, Instant> readFirstSeen(Path advisoriesDir) throws IOException {
        Map<String, Instant> out = new java.util.HashMap<>();
        Path f = advisoriesDir.resolve(FIRST_SEEN);
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                out.put(line.substring(0, tab), Instant.parse(line.substring(tab + 1)));
            }
        }
        return out;
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
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (list.equals(TRACKER)) {
                    out.println(fetchTracker(fetcher, name, url));
                } else {
                    byte[] bytes;
                    try (InputStream in = fetcher.open(name)) {
                        bytes = in.readNBytes(AdvisoryList.MAX_BYTES + 1);
                    }
                    out.println(install(bytes, url, list, err));
                }
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
                        + (Files.exists(dir.resolve(list)) ? "; the previous " + (list.equals(TRACKER) ? "feed" : "list") + " stays"
                        : "; no " + (list.equals(TRACKER) ? "feed" : "list") + " is held"));
                failed++;
            }
        }
        out.flush();
        err.flush();
        return new int[] {installed, failed};
    }

    /**
     * Streams the tracker's JSON to a file beside the held one, at most {@link TrackerJson#MAX_BYTES}
     * as sent, and installs it from there: a feed tens of MB large is never held in memory whole.
     */
    private String fetchTracker(Fetcher fetcher, String name, String url) throws IOException {
        Files.createDirectories(dir);
        Path part = Durable.tempBeside(dir.resolve(TRACKER));
        try {
            try (InputStream in = fetcher.open(name); java.io.OutputStream o = Files.newOutputStream(part)) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > TrackerJson.MAX_BYTES) {
                        throw new BadInputException(url + ": larger than " + (TrackerJson.MAX_BYTES >> 20)
                                + " MiB, far beyond the tracker's JSON");
                    }
                    o.write(buf, 0, n);
                }
            }
            return installTracker(part, url);
        } finally {
            Files.deleteIfExists(part);
        }
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
            String kind = h.list().startsWith("DSA") ? "Debian Security Advisories (DSA list)"
                    : h.list().startsWith("DLA") ? "Debian LTS Advisories (DLA list)" : "CVE data of the security tracker (its JSON)";
            StringBuilder w = new StringBuilder();
            if (h.installed().isEmpty()) {
                w.append("No ").append(kind).append(h.list().equals(TRACKER) ? " loaded: no CVE is known to be open or fixed."
                        : " loaded: advisories of that kind are not known to be open or fixed.");
            } else if (h.wanting(now)) {
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
            w.append(" Without access to the tracker, load a copy of ")
                    .append(h.list().equals(TRACKER) ? "its /tracker/data/json" : "its data/" + h.list().substring(0, 3) + "/list")
                    .append(" offline with: demi advisories import FILE");
            out.add(w.toString());
        }
        return out;
    }

    static String age(Duration d) {
        long hours = d.toHours();
        return hours < 48 ? Math.max(hours, 0) + " h" : hours / 24 + " days";
    }
}
