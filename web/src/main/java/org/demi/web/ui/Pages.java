package org.demi.web.ui;

import static org.demi.index.IndexField.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.index.FleetIndex;
import org.demi.deb.packages.PackageName;
import org.demi.index.IndexField;
import org.demi.index.Row;
import org.demi.index.SearchQuery;
import org.demi.web.mirror.MirrorStatus;
import org.demi.deb.BadInputException;

/**
 * Builds every page of the interface from the index (and, for a host's history and the mirror,
 * from the data directory). Each list is a search in the syntax of {@code demi search}: the page
 * fixes part of it (a host's packages, an advisory's hosts) and the search box narrows it.
 */
public final class Pages {
    static final int DEFAULT_LIMIT = 100;
    /** The most rows one page or one export may ask for. */
    static final int MAX_LIMIT = 100_000;
    /** The most rows one page shows; more are in the exports. */
    static final int PAGE_LIMIT = 1000;

    /** What a list page was asked for: the search box, the sort column, the paging. */
    /** @param queryGiven whether the request named a query at all ({@code ?q=}, even empty), or takes the page's default */
    public record ListParams(String query, String sort, int offset, int limit, boolean queryGiven) {
        public ListParams(String query, String sort, int offset, int limit) {
            this(query, sort, offset, limit, query != null);
        }

        public ListParams {
            query = query == null ? "" : query.strip();
            sort = sort == null ? "" : sort.strip();
            if (!sort.matches("-?[a-z_]{0,40}")) {
                throw new BadInputException("sort is a field name, or - and a field name, not '" + sort + "'");
            }
            if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
                throw new BadInputException("offset must be 0 or more, and limit between 1 and " + MAX_LIMIT);
            }
        }

        public static ListParams none() {
            return new ListParams("", "", 0, DEFAULT_LIMIT);
        }
    }

    /** The mirror's suites, read when the mirror page is asked for. */
    public interface MirrorRows {
        List<MirrorStatus> rows() throws IOException;
    }

    private static final List<Column> HOST_COLUMNS = List.of(col(HOST, "Host"), multi(GROUP, "Groups"),
            col(RELEASE, "Release"), col(VERDICT, "Verdict"), col(PACKAGES, "Packages"), col(UPDATES, "Updates"),
            col(SECURITY_UPDATES, "Security updates"), col(OPEN_ADVISORIES, "Open advisories"),
            col(OLDEST_ADVISORY, "Oldest open since"), col(LAST_SEEN, "Last seen"), multi(REASON, "Why not current"),
            col(SUPPORT, "Release support"));
    private static final List<Column> PACKAGE_COLUMNS = List.of(col(HOST, "Host"), col(PACKAGE, "Package"),
            col(ARCH, "Arch"), col(VERSION, "Installed"), col(NEWEST, "Newest"), col(SECURITY_VERSION, "Newest security"),
            col(STATE, "State"), multi(ADVISORY, "Open advisories"), col(SOURCE, "Source"), multi(DESCRIPTION, "Description"));
    /** Not a field of the index: how many hosts an advisory is open on, counted from the host documents' facet. */
    private static final String HOSTS_OPEN = "hosts";
    private static final List<Column> ADVISORY_COLUMNS = List.of(multi(ADVISORY, "Advisory"), col(DATE, "Date"),
            col(SOURCE, "Source package"), multi(CVE, "CVEs"), multi(FIXED, "Fixed in"), multi(DESCRIPTION, "Description"),
            multi(HOSTS_OPEN, "Hosts open"));

    private final FleetIndex index;
    private final InventoryStore inventories;
    private final MirrorRows mirror;
    private final java.util.function.Supplier<List<org.demi.web.compliance.ExposureHistory.Point>> exposure;

    /** @param exposure the open-advisories series the overview charts, as last computed (empty: no chart) */
    public Pages(FleetIndex index, InventoryStore inventories, MirrorRows mirror,
            java.util.function.Supplier<List<org.demi.web.compliance.ExposureHistory.Point>> exposure) {
        this.index = index;
        this.inventories = inventories;
        this.mirror = mirror;
        this.exposure = exposure;
    }

    /** A column the index can sort on. */
    private static Column col(IndexField field, String label) {
        return new Column(field.word(), label, true);
    }

    private static Column multi(IndexField field, String label) {
        return multi(field.word(), label);
    }

    private static Column multi(String key, String label) {
        return new Column(key, label, false);
    }

    private static List<Map<String, Object>> values(List<Row> rows) {
        return rows.stream().map(Row::values).toList();
    }

    public Page overview() throws IOException {
        FleetIndex.Result hosts = index.search(SearchQuery.parse("type:host sort:-security_updates sort:-open_advisories sort:host"),
                0, 10, Integer.MAX_VALUE);
        long packages = index.count(SearchQuery.parse(""));
        long security = index.count(SearchQuery.parse("state:security-update"));
        Map<String, Long> verdicts = hosts.facets().getOrDefault("verdict", Map.of());
        Map<String, Long> open = hosts.facets().getOrDefault("advisory", Map.of());
        long compliant = verdicts.getOrDefault("compliant", 0L);
        String share = hosts.total() == 0 ? "-" : Math.round(100.0 * compliant / hosts.total()) + "%";
        List<Fact> facts = List.of(
                new Fact("Hosts managed", Long.toString(hosts.total()), "/hosts"),
                new Fact("Packages installed", Long.toString(packages), "/packages"),
                new Fact("Compliant", share + " (" + compliant + ")", "/hosts?q=verdict:compliant"),
                new Fact("Pending security updates", Long.toString(security), "/packages?q=state:security-update"),
                new Fact("Open advisories", Long.toString(open.size()), "/advisories"));
        List<Map<String, Object>> widespread = new ArrayList<>();
        open.entrySet().stream().limit(10).forEach(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(ADVISORY.word(), e.getKey());
            row.put(HOSTS_OPEN, e.getValue());
            widespread.add(row);
        });
        Table worst = new Table("worst", "Hosts in the worst state", null, HOST_COLUMNS, values(hosts.rows()), hosts.total(), 0,
                hosts.rows().size(), "", "-security_updates", Map.of());
        return new Page("Overview", "/", facts, Chart.exposure(exposure.get()), List.of(
                Table.fixed("advisories", "Most widespread open advisories",
                        List.of(multi(ADVISORY, "Advisory"), multi(HOSTS_OPEN, "Hosts open")), widespread),
                worst));
    }

    /**
     * The hosts. Words about installed packages ({@code package:openssl state:security-update},
     * or words of a package's name) ask for the hosts that have such a package: what an
     * administrator means by them on this page, where they used to match nothing, silently.
     */
    public Page hosts(ListParams p) throws IOException {
        String[] split = SearchQuery.splitForHosts(p.query());
        SearchQuery fixed = SearchQuery.builder("host").build();
        String caption = "Hosts";
        if (!split[0].isEmpty()) {
            java.util.Set<String> having = index.search(SearchQuery.parse(split[0], "package"), 0, 0, Integer.MAX_VALUE).facets()
                    .getOrDefault(HOST.word(), Map.of()).keySet();
            fixed = SearchQuery.builder("host").in(HOST, having).build();
            caption = "Hosts with an installed package matching " + split[0];
        }
        Table t = list("hosts", caption, "/hosts", fixed, "host",
                new ListParams(split[1], p.sort(), p.offset(), p.limit(), p.queryGiven()), HOST_COLUMNS).withQuery(p.query());
        return new Page("Hosts", "/hosts", List.of(new Fact("Hosts", t.total())), List.of(t));
    }

    /** Empty when the index has no such host. */
    public Optional<Page> host(String host, ListParams p) throws IOException {
        FleetIndex.Result h = index.search(SearchQuery.builder("host").is(HOST, host).build(), 0, 1);
        if (h.rows().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = h.rows().get(0).values();
        List<Fact> facts = new ArrayList<>();
        for (Column c : HOST_COLUMNS.subList(1, HOST_COLUMNS.size())) {
            facts.add(new Fact(c.label(), String.join(", ", Links.items(row.get(c.key()))), null));
        }
        Table packages = list("packages", "Installed packages", "/hosts/" + Links.encode(host),
                SearchQuery.builder("package").is(HOST, host).build(), "-attention", p,
                PACKAGE_COLUMNS.subList(1, PACKAGE_COLUMNS.size()));
        List<Map<String, Object>> history = new ArrayList<>();
        List<HistoryEntry> entries = inventories.history(host);
        for (int i = entries.size() - 1; i >= 0 && history.size() < 200; i--) {
            HistoryEntry e = entries.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("time", e.time().toString());
            r.put("method", e.method());
            r.put("outcome", e.outcome().word());
            r.put("checksum", e.checksum().orElse(""));
            r.put("detail", e.detail());
            history.add(r);
        }
        Table historyTable = Table.fixed("history", "Collection history (newest first, at most 200)",
                List.of(multi("time", "Time"), multi("method", "Method"), multi("outcome", "Outcome"),
                        multi("checksum", "Inventory SHA256"), multi("detail", "Detail")), history);
        return Optional.of(new Page("Host " + host, "/hosts/" + Links.encode(host), facts, List.of(packages, historyTable)));
    }

    public Page packages(ListParams p) throws IOException {
        Table t = list("packages", "Installed packages, fleet-wide", "/packages", SearchQuery.builder("package").build(), "package", p,
                PACKAGE_COLUMNS);
        return new Page("Packages", "/packages", List.of(new Fact("Installed packages matching", t.total())), List.of(t));
    }

    /**
     * Which hosts have this package, at which versions; a name Debian Policy does not allow is
     * bad input, and a name no host has installed is not found.
     */
    public Optional<Page> packageName(String name, ListParams p) throws IOException {
        PackageName.check(name); // as every indexed name was checked when its status file was read
        if (index.count(SearchQuery.builder("package").is(PACKAGE, name).build()) == 0) {
            return Optional.empty();
        }
        Table t = list("hosts", "Hosts with " + name, "/packages/" + Links.encode(name),
                SearchQuery.builder("package").is(PACKAGE, name).build(), "host", p, PACKAGE_COLUMNS);
        return Optional.of(new Page("Package " + name, "/packages/" + Links.encode(name),
                List.of(new Fact("Installations", t.total())), List.of(t)));
    }

    /**
     * The advisories; unless a query is given, those for the releases the fleet runs (the rest
     * are a search away: an empty query lists them all), newest first.
     */
    public Page advisories(ListParams p) throws IOException {
        if (!p.queryGiven()) {
            List<String> releases = index.search(SearchQuery.parse("type:host"), 0, 0, Integer.MAX_VALUE).facets()
                    .getOrDefault(RELEASE.word(), Map.of()).keySet().stream().filter(r -> !r.isEmpty() && !r.equals("unknown"))
                    .sorted().toList();
            if (!releases.isEmpty()) {
                p = new ListParams(FIXED_IN.word() + ":" + String.join(",", releases), p.sort(), p.offset(), p.limit(), true);
            }
        }
        Table t = list("advisories", "Advisories", "/advisories", SearchQuery.builder("advisory").build(), "-date", p,
                ADVISORY_COLUMNS);
        Map<String, Long> open = openCounts();
        t = withHostCounts(t, open);
        return new Page("Advisories", "/advisories",
                List.of(new Fact("Advisories matching", t.total()), new Fact("Open on some host", Long.toString(open.size()), null)),
                List.of(t));
    }

    /** An advisory (DSA-…, DLA-…) with the hosts it is open on; empty when it is not known. */
    public Optional<Page> advisory(String id, ListParams p) throws IOException {
        FleetIndex.Result a = index.search(SearchQuery.builder("advisory").is(ADVISORY, id).build(), 0, 1);
        if (a.rows().isEmpty()) {
            return Optional.empty();
        }
        Row row = a.rows().get(0);
        List<Fact> facts = List.of(new Fact("Date", row.get(DATE), null),
                new Fact("Source package", row.get(SOURCE), "/packages?q=source:" + Links.encode(row.get(SOURCE))),
                new Fact("Description", row.get(DESCRIPTION), null),
                new Fact("CVEs", String.join(", ", row.all(CVE)), null, "cve"),
                new Fact("Fixed in", String.join("; ", row.all(FIXED)), null));
        Table hosts = list("hosts", "Hosts it is open on", "/advisories/" + Links.encode(id),
                SearchQuery.builder("host").is(ADVISORY, id).build(), "host", p, HOST_COLUMNS);
        FleetIndex.Result pk = index.search(SearchQuery.builder("package").is(ADVISORY, id).build(), 0, 1000);
        Table packages = new Table("packages", "Installed packages it is open through (at most 1000)", null, PACKAGE_COLUMNS,
                values(pk.rows()), pk.total(), 0, pk.rows().size(), "", "", Map.of());
        return Optional.of(new Page(id, "/advisories/" + Links.encode(id), facts, List.of(hosts, packages)));
    }

    /**
     * The advisories that name a CVE, and the installed packages it is open through; not found
     * when the name is not a CVE's ({@code CVE-2024-6387}) or a tracker's temporary one.
     */
    public Optional<Page> cve(String cve, ListParams p) throws IOException {
        if (!cve.matches("CVE-[0-9]{4}-[0-9]{4,}|TEMP-[0-9]{7}-[0-9A-F]{6}")) {
            return Optional.empty();
        }
        Table packages = list("packages", "Installed packages it is open through", "/cves/" + Links.encode(cve),
                SearchQuery.builder("package").is(CVE, cve).build(), "host", p, PACKAGE_COLUMNS);
        FleetIndex.Result a = index.search(SearchQuery.builder("advisory").is(CVE, cve).build(), 0, 100);
        Table advisories = withHostCounts(new Table("advisories", "Advisories naming it", null, ADVISORY_COLUMNS, values(a.rows()),
                a.total(), 0, a.rows().size(), "", "", Map.of()), openCounts());
        return Optional.of(new Page(cve, "/cves/" + Links.encode(cve), List.of(new Fact("Installed packages open", packages.total())),
                List.of(packages, advisories)));
    }

    public Page mirror() throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MirrorStatus s : mirror.rows()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("upstream", s.upstream());
            r.put("suite", s.suite());
            r.put("uri", s.uri());
            r.put("last_sync", s.lastAttempt());
            r.put("outcome", s.outcome());
            r.put("snapshot", s.snapshot());
            r.put("tree", s.tree());
            r.put("date", s.date());
            r.put("valid_until", s.validUntil());
            r.put("signers", s.signers().stream().map(Pages::grouped).toList());
            r.put("index_files", s.indexFiles());
            r.put("index_bytes", s.indexBytes());
            r.put("pool_files", s.poolFiles());
            r.put("pool_bytes", s.poolBytes());
            r.put("policy", "pool " + s.pool() + ", " + s.publish());
            r.put("error", s.error());
            rows.add(r);
        }
        List<Column> columns = new ArrayList<>();
        for (String[] c : new String[][] {{"upstream", "Upstream"}, {"suite", "Suite"}, {"last_sync", "Last sync"},
                {"outcome", "Outcome"}, {"snapshot", "Published snapshot"}, {"tree", "Published tree"}, {"date", "Date"}, {"valid_until", "Valid-Until"},
                {"signers", "Signed by"}, {"index_files", "Index files"}, {"index_bytes", "Index size"},
                {"pool_files", "Pool files named"}, {"pool_bytes", "Pool size"}, {"policy", "Policy"}, {"error", "Last error"}}) {
            columns.add(multi(c[0], c[1]));
        }
        return new Page("Mirror", "/mirror", List.of(new Fact("Suites", rows.size())),
                List.of(Table.fixed("suites", "Suites", columns, rows)));
    }

    /** A key fingerprint as people compare it: in groups of four ({@code 4D64 FEC1 19C2 ...}). */
    static String grouped(String fingerprint) {
        return fingerprint.replaceAll("(.{4})(?=.)", "$1 ");
    }

    /** How many hosts each advisory is open on, from the host documents' advisory facet. */
    private Map<String, Long> openCounts() throws IOException {
        return index.search(SearchQuery.parse("type:host"), 0, 0, Integer.MAX_VALUE).facets().getOrDefault(ADVISORY.word(), Map.of());
    }

    private static Table withHostCounts(Table t, Map<String, Long> open) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> r : t.rows()) {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            long n = 0;
            for (String id : Links.items(r.get(ADVISORY.word()))) {
                n += open.getOrDefault(id, 0L);
            }
            copy.put(HOSTS_OPEN, n);
            rows.add(copy);
        }
        return t.withRows(rows);
    }

    /** A page's own list: the fixed part and the search box both hold, sorted as asked or by default. */
    private Table list(String id, String caption, String path, SearchQuery fixedPart, String defaultSort, ListParams p,
            List<Column> columns) throws IOException {
        String sort = p.sort().isEmpty() ? defaultSort : p.sort();
        SearchQuery q = SearchQuery.parse(p.query() + " sort:" + sort, fixedPart.type()).within(fixedPart);
        FleetIndex.Result r = index.search(q, p.offset(), p.limit());
        return new Table(id, caption, path, columns, values(r.rows()), r.total(), p.offset(), p.limit(), p.query(), sort, r.facets());
    }
}
