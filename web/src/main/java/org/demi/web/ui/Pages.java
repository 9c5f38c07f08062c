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
import org.demi.compliance.tracker.CveEntry;
import org.demi.compliance.tracker.CveIds;
import org.demi.compliance.tracker.CveRelease;
import org.demi.compliance.tracker.TrackerData;
import org.demi.compliance.tracker.Urgency;
import org.demi.index.CveTally;
import org.demi.index.FleetIndex;
import org.demi.deb.packages.PackageName;
import org.demi.index.IndexField;
import org.demi.index.OpenCves;
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
    /**
     * @param queryGiven whether the request named a query at all ({@code ?q=}, even empty), or takes the page's default
     * @param facets     whether the list's facets are counted (a CSV export has no place for them)
     */
    public record ListParams(String query, String sort, int offset, int limit, boolean queryGiven, boolean facets) {
        public ListParams(String query, String sort, int offset, int limit) {
            this(query, sort, offset, limit, query != null);
        }

        public ListParams(String query, String sort, int offset, int limit, boolean queryGiven) {
            this(query, sort, offset, limit, queryGiven, true);
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

    private static final List<Column> HOST_COLUMNS = List.of(col(HOST, "Host"), multi(GROUP, "Groups"),
            col(RELEASE, "Release"), col(VERDICT, "Verdict"), col(PACKAGES, "Packages"), col(UPDATES, "Updates"),
            col(SECURITY_UPDATES, "Security updates"), col(OPEN_ADVISORIES, "Open advisories"),
            col(OLDEST_ADVISORY, "Oldest open since"), col(OPEN_CVES, "Open CVEs"), col(FIXABLE_CVES, "CVEs with a fix"),
            col(REBOOT_REQUIRED, "Reboot required"), col(RESTART_SERVICES, "Services to restart"),
            col(UNSUPPORTED, "Packages with limited support"), col(WAITING, "Delivered, not installed"),
            col(WAITING_SINCE, "Delivered since"),
            col(LAST_SEEN, "Last seen"), multi(REASON, "Why not current"),
            col(SUPPORT, "Release support"));
    private static final List<Column> PACKAGE_COLUMNS = List.of(col(HOST, "Host"), col(PACKAGE, "Package"),
            col(ARCH, "Arch"), col(VERSION, "Installed"), col(NEWEST, "Newest"), col(SECURITY_VERSION, "Newest security"),
            col(STATE, "State"), multi(ADVISORY, "Open advisories"), col(SOURCE, "Source"), col(SUPPORT_LIMIT, "Security support"),
            multi(SUPPORT_NOTE, "Support note"), multi(DESCRIPTION, "Description"));
    private static final List<Column> CVE_COLUMNS = List.of(col(HOST, "Host"), multi(CVE, "CVE"), col(CVE_STATE, "State"),
            col(URGENCY, "Urgency"), col(SCOPE, "Scope"), col(SINCE, "Exposed since"), col(SOURCE, "Source"),
            col(SOURCE_VERSION, "Installed source"), col(FIXED_VERSION, "Fixed in"), multi(ADVISORY, "Fixed by"),
            multi(BINARIES, "Through"), multi(REMARK, "Remark"));
    /** The CVE list's columns: one row per CVE, its figures counted over the hosts' CVE documents. */
    private static final List<Column> CVE_LIST_COLUMNS = concat(List.of(new Column(CVE.word(), "CVE", true),
            new Column(URGENCY.word(), "Urgency", true), new Column("hosts", "Hosts open", true)), openStates(),
            List.of(multi("oldest", "Oldest exposure"), multi(SOURCE.word(), "Sources"), multi(DESCRIPTION.word(), "Description")));
    /** Not a field of the index: how many hosts an advisory is open on, counted from the host documents' facet. */
    private static final String HOSTS_OPEN = "hosts";
    private static final List<Column> ADVISORY_COLUMNS = List.of(multi(ADVISORY, "Advisory"), col(DATE, "Date"),
            col(SOURCE, "Source package"), multi(CVE, "CVEs"), multi(FIXED, "Fixed in"), multi(DESCRIPTION, "Description"),
            multi(HOSTS_OPEN, "Hosts open"));

    private final FleetIndex index;
    private final InventoryStore inventories;
    private final MirrorStatus.Source mirror;
    private final java.util.function.Supplier<List<org.demi.compliance.fleet.ExposureHistory.Point>> exposure;
    private final java.util.function.Supplier<TrackerData> tracker;
    private final org.demi.compliance.delivery.DeliveryLog deliveries;

    /**
     * @param exposure the open-advisories series the overview charts, as last computed (empty: no chart)
     * @param tracker  the security tracker's CVE data the index was judged by
     */
    public Pages(FleetIndex index, InventoryStore inventories, MirrorStatus.Source mirror,
            java.util.function.Supplier<List<org.demi.compliance.fleet.ExposureHistory.Point>> exposure,
            java.util.function.Supplier<TrackerData> tracker, org.demi.compliance.delivery.DeliveryLog deliveries) {
        this.deliveries = deliveries;
        this.index = index;
        this.inventories = inventories;
        this.mirror = mirror;
        this.exposure = exposure;
        this.tracker = tracker;
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

    /** A fact of the host page, when there is something to say. */
    private static void factIfAny(List<Fact> facts, String label, String value) {
        if (!value.isEmpty()) {
            facts.add(new Fact(label, value, null));
        }
    }

    /** A column per open CVE state, in the order of concern: {@code fix-available} is "Fix available". */
    private static List<Column> openStates() {
        return java.util.Arrays.stream(org.demi.compliance.evaluation.CveState.values()).filter(
                org.demi.compliance.evaluation.CveState::open).map(st -> multi(st.word(),
                Character.toUpperCase(st.word().charAt(0)) + st.word().substring(1).replace('-', ' '))).toList();
    }

    @SafeVarargs
    private static List<Column> concat(List<Column>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    private static List<Map<String, Object>> values(List<Row> rows) {
        return rows.stream().map(Row::values).toList();
    }

    /** The overview: a dozen searches of the host documents, made once per change of the index. */
    private final Revalidated<String, Page> overviews = new Revalidated<>(1);
    /**
     * A CVE list's counts (a pass over the CVE documents its query matches, kept by the index)
     * in a sort's order, by its query and sort: each page of it is sliced from them.
     */
    private final Revalidated<CveListKey, CveList> cveLists = new Revalidated<>(64);

    private record CveListKey(String query, String sort) {
    }

    /**
     * The CVEs open on the hosts' CVE documents a query matches, in a sort's order, and those
     * documents' total and facets.
     */
    private record CveList(List<String> sorted, Map<String, CveTally> tallies, FleetIndex.Result documents) {
    }

    /** The fleet at a glance (computed once per change of the index; see {@link Revalidated}). */
    public Page overview() throws IOException {
        return overviews.get("", index.version(), this::computeOverview);
    }

    private Page computeOverview() throws IOException {
        FleetIndex.Result hosts = index.search(SearchQuery.parse("type:host sort:-security_updates sort:-open_advisories sort:host"),
                0, 10, Integer.MAX_VALUE);
        // Summed over the host documents, which count their packages: not a pass over every package document.
        long packages = index.sum(SearchQuery.parse("type:host"), PACKAGES);
        long security = index.sum(SearchQuery.parse("type:host"), SECURITY_UPDATES);
        Map<String, Long> verdicts = hosts.facets().getOrDefault("verdict", Map.of());
        Map<String, Long> open = hosts.facets().getOrDefault("advisory", Map.of());
        long compliant = verdicts.getOrDefault("compliant", 0L);
        OpenCves cves = index.openCves();
        String share = hosts.total() == 0 ? "-" : Math.round(100.0 * compliant / hosts.total()) + "%";
        List<Fact> facts = List.of(
                new Fact("Hosts managed", Long.toString(hosts.total()), "/hosts"),
                new Fact("Packages installed", Long.toString(packages), "/packages"),
                new Fact("Compliant", share + " (" + compliant + ")", "/hosts?q=verdict:compliant"),
                new Fact("Pending security updates", Long.toString(security), "/packages?q=state:security-update"),
                new Fact("Open advisories", Long.toString(open.size()), "/advisories"),
                new Fact("Open CVEs", Long.toString(cves.cves()), "/cves"),
                new Fact("Mean time to remediate", meanTimeToRemediate(), null),
                new Fact("Hosts with delivered fixes not installed", waitingHosts(), "/hosts?q=waiting:>0"),
                new Fact("Hosts to reboot", Long.toString(index.hits(SearchQuery.parse("type:host reboot_required:yes"), 0, 0).total()),
                        "/hosts?q=reboot_required:yes"));
        List<Map<String, Object>> widespread = new ArrayList<>();
        open.entrySet().stream().limit(10).forEach(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(ADVISORY.word(), e.getKey());
            row.put(HOSTS_OPEN, e.getValue());
            widespread.add(row);
        });
        Table worst = new Table("worst", "Hosts in the worst state", null, HOST_COLUMNS, values(hosts.rows()), hosts.total(), 0,
                hosts.rows().size(), "", "-security_updates", Map.of());
        List<org.demi.compliance.fleet.ExposureHistory.Point> series = exposure.get();
        return new Page("Overview", "/", facts, java.util.Arrays.asList(Chart.exposure(series), Chart.cves(series)), List.of(
                Table.fixed("advisories", "Most widespread open advisories",
                        List.of(multi(ADVISORY, "Advisory"), multi(HOSTS_OPEN, "Hosts open")), widespread),
                cvesByUrgency(cves), worst));
    }

    /** The open CVEs by urgency, each split into those with a fix the hosts can install and those without. */
    private static Table cvesByUrgency(OpenCves open) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Urgency u : Urgency.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(URGENCY.word(), u.term());
            long all = 0;
            for (org.demi.compliance.evaluation.CveState s : org.demi.compliance.evaluation.CveState.values()) {
                if (s.open()) {
                    long n = open.count(u.term(), s.word());
                    row.put(s.word(), n);
                    all += n;
                }
            }
            if (all > 0) {
                rows.add(row);
            }
        }
        return Table.fixed("cves", "Open CVEs by urgency (distinct CVEs; one open through two states counts in both)",
                concat(List.of(multi(URGENCY, "Urgency")), openStates()), rows);
    }

    /** How many hosts hold delivered updates they have not installed, and since when the longest. */
    private String waitingHosts() throws IOException {
        FleetIndex.Result r = index.hits(SearchQuery.parse("type:host waiting:>0 sort:waiting_since"), 0, 1);
        return r.total() == 0 ? "0" : r.total() + " (the oldest delivered " + r.rows().get(0).get(WAITING_SINCE) + ")";
    }

    /** The mean time from exposure to remediation over every CVE the hosts' histories show closed. */
    private String meanTimeToRemediate() throws IOException {
        long closed = index.sum(SearchQuery.parse("type:host"), REMEDIATED);
        if (closed == 0) {
            return "-";
        }
        long hours = index.sum(SearchQuery.parse("type:host"), REMEDIATION_HOURS) / closed;
        return (hours < 48 ? hours + " h" : hours / 24 + " days") + " (" + closed + " closed)";
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
        java.util.Set<String> having = null;
        List<String> conditions = new ArrayList<>();
        if (!split[0].isEmpty()) {
            having = new java.util.HashSet<>(index.search(SearchQuery.parse(split[0], "package"), 0, 0, Integer.MAX_VALUE).facets()
                    .getOrDefault(HOST.word(), Map.of()).keySet());
            conditions.add("an installed package matching " + split[0]);
        }
        if (!split[1].isEmpty()) {
            java.util.Set<String> open = index.search(SearchQuery.parse(split[1], "cve"), 0, 0, Integer.MAX_VALUE).facets()
                    .getOrDefault(HOST.word(), Map.of()).keySet();
            if (having == null) {
                having = new java.util.HashSet<>(open);
            } else {
                having.retainAll(open);
            }
            conditions.add("an open CVE matching " + split[1]);
        }
        if (having != null) {
            fixed = SearchQuery.builder("host").in(HOST, having).build();
            caption = "Hosts with " + String.join(" and ", conditions);
        }
        Table t = list("hosts", caption, "/hosts", fixed, "host",
                new ListParams(split[2], p.sort(), p.offset(), p.limit(), p.queryGiven(), p.facets()), HOST_COLUMNS).withQuery(p.query());
        return new Page("Hosts", "/hosts", List.of(new Fact("Hosts", t.total())), List.of(t));
    }

    /** Empty when the index has no such host. */
    public Optional<Page> host(String host, ListParams p) throws IOException {
        FleetIndex.Result h = index.hits(SearchQuery.builder("host").is(HOST, host).build(), 0, 1);
        if (h.rows().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = h.rows().get(0).values();
        List<Fact> facts = new ArrayList<>();
        for (Column c : HOST_COLUMNS.subList(1, HOST_COLUMNS.size())) {
            facts.add(new Fact(c.label(), String.join(", ", Links.items(row.get(c.key()))), null));
        }
        Row found = h.rows().get(0);
        String kernel = found.get(KERNEL);
        factIfAny(facts, "Running kernel", kernel.isEmpty() ? "" : kernel + " (" + found.get(KERNEL_BUILD) + ")");
        factIfAny(facts, "Booted", found.get(BOOTED));
        factIfAny(facts, "Why it must reboot", String.join("; ", found.all(REBOOT_REASON)));
        factIfAny(facts, "Services to restart (needrestart)", String.join(", ", found.all(SERVICES)));
        factIfAny(facts, "Install the delivered updates with", found.get(INSTALL_COMMAND));
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
        // The worst of them; the rest are a search away (each row is a stored document to read, and
        // a development machine can be open to hundreds).
        FleetIndex.Result open = index.hits(SearchQuery.builder("cve").is(HOST, host).build(), 0, DEFAULT_LIMIT);
        Table cves = new Table("cves", "Open CVEs, worst first (the first " + DEFAULT_LIMIT + "; all of them at /cves?q=host:" + host
                + " or with demi search type:cve host:" + host + ")", null,
                CVE_COLUMNS.subList(1, CVE_COLUMNS.size()), values(open.rows()), open.total(), 0, open.rows().size(), "", "", Map.of());
        List<Map<String, Object>> delivered = new ArrayList<>();
        List<org.demi.compliance.delivery.Delivery> log = deliveries.of(host);
        for (int i = log.size() - 1; i >= 0 && delivered.size() < 50; i--) {
            org.demi.compliance.delivery.Delivery d = log.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("time", d.time().toString());
            r.put("outcome", d.delivered() ? "delivered" : "failed");
            r.put("files", d.files());
            r.put("sent", d.sent());
            r.put("bytes", d.bytes());
            r.put("packages", d.packages());
            r.put("detail", d.detail());
            delivered.add(r);
        }
        Table deliveryTable = Table.fixed("deliveries", "Deliveries over SSH (newest first, at most 50)",
                List.of(multi("time", "Time"), multi("outcome", "Outcome"), multi("files", "Files"), multi("sent", "Sent"),
                        multi("bytes", "Bytes sent"), multi("packages", "Updates carried"), multi("detail", "Detail")), delivered);
        return Optional.of(new Page("Host " + host, "/hosts/" + Links.encode(host), facts,
                List.of(packages, cves, deliveryTable, historyTable)));
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
        SearchQuery installed = SearchQuery.builder("package").is(PACKAGE, name).build();
        Table t = list("hosts", "Hosts with " + name, "/packages/" + Links.encode(name), installed, "host", p, PACKAGE_COLUMNS);
        if (t.total() == 0 && index.count(installed) == 0) { // no hit: the search box's words, or no host has it at all
            return Optional.empty();
        }
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
                p = new ListParams(FIXED_IN.word() + ":" + String.join(",", releases), p.sort(), p.offset(), p.limit(), true, p.facets());
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
        FleetIndex.Result a = index.hits(SearchQuery.builder("advisory").is(ADVISORY, id).build(), 0, 1);
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
        FleetIndex.Result pk = index.hits(SearchQuery.builder("package").is(ADVISORY, id).build(), 0, 1000);
        Table packages = new Table("packages", "Installed packages it is open through (at most 1000)", null, PACKAGE_COLUMNS,
                values(pk.rows()), pk.total(), 0, pk.rows().size(), "", "", Map.of());
        return Optional.of(new Page(id, "/advisories/" + Links.encode(id), facts, List.of(hosts, packages)));
    }

    /**
     * Every CVE open on some host, one row each: its urgency, on how many hosts it is open and
     * in which state, since when the longest. The search box narrows the hosts' CVE documents
     * counted ({@code urgency:high cve_state:fix-available release:bookworm}); sorted by hosts
     * open (most first), by CVE id, or by urgency.
     */
    public Page cves(ListParams p) throws IOException {
        SearchQuery all = SearchQuery.parse(p.query(), "cve").within(SearchQuery.builder("cve").build());
        String sort = p.sort().isEmpty() ? "-hosts" : p.sort();
        if (!List.of("cve", "urgency", "hosts").contains(sort.replace("-", ""))) {
            throw new BadInputException("the CVE list sorts by cve, urgency or hosts, not '" + sort + "'");
        }
        TrackerData data = tracker.get();
        java.util.Set<String> releases = index.search(SearchQuery.parse("type:host"), 0, 0, Integer.MAX_VALUE).facets()
                .getOrDefault(RELEASE.word(), Map.of()).keySet();
        CveList counted = cveLists.get(new CveListKey(p.query(), sort), index.version(), () -> {
            Map<String, CveTally> tallies = index.cveTallies(all);
            return new CveList(sorted(tallies, sort, data, releases), tallies, index.search(all, 0, 0));
        });
        Map<String, CveTally> tallies = counted.tallies();
        FleetIndex.Result r = counted.documents();
        List<String> sorted = counted.sorted();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : sorted.subList(Math.min(p.offset(), sorted.size()), Math.min(p.offset() + p.limit(), sorted.size()))) {
            CveTally t = tallies.get(id);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(CVE.word(), id);
            row.put(URGENCY.word(), worstUrgency(data, id, releases).term());
            row.put("hosts", t.hosts());
            for (org.demi.compliance.evaluation.CveState st : org.demi.compliance.evaluation.CveState.values()) {
                if (st.open()) {
                    row.put(st.word(), t.states().getOrDefault(st.word(), 0L));
                }
            }
            row.put("oldest", t.oldestSince());
            row.put(SOURCE.word(), t.sources());
            row.put(DESCRIPTION.word(), data.entries(id).stream().map(CveEntry::description).filter(d -> !d.isEmpty()).findFirst()
                    .orElse(""));
            rows.add(row);
        }
        Table t = new Table("cves", "CVEs open on some host", "/cves", CVE_LIST_COLUMNS, rows, sorted.size(), p.offset(),
                p.limit(), p.query(), sort, r.facets());
        return new Page("CVEs", "/cves", List.of(new Fact("CVEs open", sorted.size()),
                new Fact("Known to the tracker", data.ids()), new Fact("Host exposures", r.total())), List.of(t));
    }

    /** The CVEs in the list's order ({@code cve}, {@code urgency} or {@code hosts}; {@code -} first for descending), ties by id. */
    private static List<String> sorted(Map<String, CveTally> tallies, String sort, TrackerData data, java.util.Set<String> releases) {
        java.util.Comparator<String> order = switch (sort.replace("-", "")) {
            case "cve" -> CveIds.ORDER;
            case "urgency" -> {
                Map<String, Urgency> worst = new java.util.HashMap<>();
                tallies.keySet().forEach(id -> worst.put(id, worstUrgency(data, id, releases)));
                yield java.util.Comparator.comparing(worst::get);
            }
            default -> java.util.Comparator.comparing((String id) -> tallies.get(id).hosts());
        };
        if (sort.startsWith("-")) {
            order = order.reversed();
        }
        return tallies.keySet().stream().sorted(order.thenComparing(CveIds.ORDER)).toList();
    }

    /** A CVE's worst urgency over the releases the fleet runs (over all its releases when none of them has it). */
    private static Urgency worstUrgency(TrackerData data, String id, java.util.Set<String> releases) {
        List<CveRelease> all = data.entries(id).stream().flatMap(e -> e.releases().values().stream()).toList();
        List<CveRelease> fleet = all.stream().filter(r -> releases.contains(r.release())).toList();
        return (fleet.isEmpty() ? all : fleet).stream().map(CveRelease::urgency).min(Urgency::compareTo).orElse(Urgency.NOT_YET_ASSIGNED);
    }

    /**
     * A CVE: what the tracker says of it per release, the hosts open to it with their state and
     * since when, the advisories that name it and the installed packages it is open through; not
     * found when the name is not a CVE's ({@code CVE-2024-6387}) or a tracker's temporary one, or
     * nothing Demi holds knows it.
     */
    public Optional<Page> cve(String cve, ListParams p) throws IOException {
        if (!cve.matches("CVE-[0-9]{4}-[0-9]{4,}|TEMP-[0-9]{7}-[0-9A-F]{6}")) {
            return Optional.empty();
        }
        TrackerData data = tracker.get();
        List<CveEntry> entries = data.entries(cve);
        FleetIndex.Result a = index.hits(SearchQuery.builder("advisory").is(CVE, cve).build(), 0, 100);
        FleetIndex.Result pk = index.hits(SearchQuery.builder("package").is(CVE, cve).build(), 0, DEFAULT_LIMIT);
        long packagesOpen = pk.total();
        if (entries.isEmpty() && a.total() == 0 && packagesOpen == 0) {
            return Optional.empty();
        }
        String path = "/cves/" + Links.encode(cve);
        Table hosts = list("hosts", "Hosts open to it, by the tracker's data", path, SearchQuery.builder("cve").is(CVE, cve).build(), "",
                p, CVE_COLUMNS);
        Table packages = new Table("packages", "Installed packages it is open through (by the tracker's data or an advisory; the first "
                + DEFAULT_LIMIT + "; all of them at /packages?q=cve:" + cve + ")", null, PACKAGE_COLUMNS, values(pk.rows()), pk.total(), 0,
                pk.rows().size(), "", "", Map.of());
        List<Map<String, Object>> status = new ArrayList<>();
        for (CveEntry e : entries) {
            e.releases().values().stream().sorted(java.util.Comparator.comparing(CveRelease::release)).forEach(r -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("release", r.release());
                row.put(SOURCE.word(), e.source());
                row.put("status", r.notAffected() ? "not affected" : r.status().label());
                row.put(FIXED_VERSION.word(), r.fixedVersion() == null ? "" : r.fixedVersion().toString());
                row.put(URGENCY.word(), r.urgencyText());
                row.put(REMARK.word(), (r.noDsaReason().isEmpty() ? r.noDsa().isEmpty() ? "" : "no-dsa" : r.noDsaReason())
                        + (r.noDsa().isEmpty() ? "" : ": " + r.noDsa()));
                status.add(row);
            });
        }
        Table tracked = Table.fixed("tracker", "The security tracker's status per release", List.of(multi("release", "Release"),
                multi(SOURCE, "Source package"), multi("status", "Status"), multi(FIXED_VERSION, "Fixed version"),
                multi(URGENCY, "Urgency (** from NVD)"), multi(REMARK, "Remark")), status);
        Table advisories = withHostCounts(new Table("advisories", "Advisories naming it", null, ADVISORY_COLUMNS, values(a.rows()),
                a.total(), 0, a.rows().size(), "", "", Map.of()), openCounts());
        List<Fact> facts = new ArrayList<>();
        entries.stream().map(CveEntry::description).filter(d -> !d.isEmpty()).findFirst()
                .ifPresent(d -> facts.add(new Fact("Description", d, null)));
        entries.stream().map(CveEntry::scope).filter(x -> !x.isEmpty()).findFirst().ifPresent(x -> facts.add(new Fact("Scope", x, null)));
        // Counted, not read off the list's host facet, which holds only its most frequent values.
        facts.add(new Fact("Hosts open", Long.toString(index.cveTally(cve).map(CveTally::hosts).orElse(0L)), null));
        facts.add(new Fact("Installed packages open", Long.toString(packagesOpen), "/packages?q=cve:" + Links.encode(cve)));
        facts.add(new Fact("Security tracker", TRACKER_PAGE + cve, TRACKER_PAGE + cve));
        return Optional.of(new Page(cve, path, facts, List.of(hosts, packages, tracked, advisories)));
    }

    /** The security tracker's own page of a CVE, for the details Demi does not hold (references, notes). */
    static final String TRACKER_PAGE = "https://security-tracker.debian.org/tracker/";

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
        // No sort given, nor a default of the page's own: the listing's type's order (worst first for CVEs).
        SearchQuery q = SearchQuery.parse(p.query() + (sort.isEmpty() ? "" : " sort:" + sort), fixedPart.type()).within(fixedPart);
        FleetIndex.Result r = p.facets() ? index.search(q, p.offset(), p.limit()) : index.search(q, p.offset(), p.limit(), 0);
        return new Table(id, caption, path, columns, values(r.rows()), r.total(), p.offset(), p.limit(), p.query(), sort, r.facets());
    }
}
