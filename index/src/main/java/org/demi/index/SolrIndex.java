package org.demi.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.demi.compliance.advisory.Advisory;

/**
 * The fleet's index in a SolrCloud collection, shared by every Demi server pointed at it: the
 * documents {@link Documents} builds for Lucene, field for field (see {@link SolrConfigSet}),
 * asked the same questions ({@link SolrQueries}), so both back ends give the same answers.
 *
 * <p>A host's documents are one block whose root is the host document: writing the root again
 * replaces the whole block at once, on the one shard that holds the host. The open CVEs'
 * figures and the CVE tallies are counted by Solr's JSON facets on every shard and merged.
 */
final class SolrIndex implements FleetIndex {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String ADVISORIES = "advisories";

    private final SolrNodes nodes;
    private final String collection;
    private final String part;
    /** The stored fields a row is made of, as Solr names them. */
    private static final String ROW_FIELDS = String.join(",", java.util.Arrays.stream(IndexField.values())
            .map(SolrIndex::solrName).toList());

    /** The Solr field a row's field is read from: a {@link IndexField.Kind#TIME} field's hidden one, holding its moment. */
    private static String solrName(IndexField f) {
        return f.kind() == IndexField.Kind.TIME ? SolrQueries.field(Schema.timeField(f.word())) : f.word();
    }

    /** The row's field a Solr field is, by its Solr name. */
    private static final Map<String, IndexField> BY_SOLR_NAME = java.util.Arrays.stream(IndexField.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(SolrIndex::solrName, f -> f));

    private SolrIndex(SolrNodes nodes, String collection, String part) {
        this.nodes = nodes;
        this.collection = collection;
        this.part = part;
    }

    static SolrIndex open(String zk, String collection, String part) throws IOException {
        if (!collection.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new org.demi.deb.BadInputException("'" + collection + "' is not a Solr collection name (letters, digits, _ . -)");
        }
        if (part.isBlank()) {
            throw new org.demi.deb.BadInputException("a server's part of a shared index needs a name");
        }
        SolrNodes nodes = SolrNodes.connect(zk);
        try {
            if (!nodes.exists("/collections/" + collection)) {
                create(nodes, collection);
            } else {
                upgrade(nodes, collection);
            }
            return new SolrIndex(nodes, collection, part);
        } catch (IOException | RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /**
     * Creates the collection with Demi's configuration set: as many shards as there are live
     * nodes, each held twice where there are two nodes or more, routed by owner. Another Demi
     * server may be creating it at the same time: then its collection is used.
     */
    private static void create(SolrNodes nodes, String collection) throws IOException {
        String config = upload(nodes);
        int shards = Math.max(1, nodes.liveNodes());
        int replicas = Math.min(2, nodes.liveNodes());
        try {
            nodes.get("/admin/collections?action=CREATE&name=" + collection + "&collection.configName=" + config
                    + "&numShards=" + shards + "&replicationFactor=" + replicas + "&router.name=compositeId&router.field="
                    + Schema.OWNER + "&waitForFinalState=true");
        } catch (SolrNodes.SolrException e) {
            if (!nodes.exists("/collections/" + collection)) {
                throw e;
            }
        }
    }

    /** Uploads this Demi's configuration set unless ZooKeeper has it already (another server may be uploading it too); its name. */
    private static String upload(SolrNodes nodes) throws IOException {
        String config = SolrConfigSet.name();
        if (!nodes.exists("/configs/" + config)) {
            try {
                nodes.post("/admin/configs?action=UPLOAD&name=" + config, "application/octet-stream", SolrConfigSet.zip());
            } catch (SolrNodes.SolrException e) {
                if (!nodes.exists("/configs/" + config)) {
                    throw e;
                }
            }
        }
        return config;
    }

    /**
     * Moves a collection an earlier Demi made to this Demi's configuration set, when its schema
     * changed (new fields: its documents stay as they are until their hosts are re-indexed, which
     * a start does), and reloads it. A collection with a configuration that is not Demi's is left
     * as its operator made it.
     */
    private static void upgrade(SolrNodes nodes, String collection) throws IOException {
        String config = SolrConfigSet.name();
        String current = nodes.get("/admin/collections?action=CLUSTERSTATUS&collection=" + collection)
                .path("cluster").path("collections").path(collection).path("configName").asText("");
        if (current.equals(config) || !current.startsWith("demi-")) {
            return;
        }
        upload(nodes);
        nodes.get("/admin/collections?action=MODIFYCOLLECTION&collection=" + collection + "&collection.configName=" + config);
        nodes.get("/admin/collections?action=RELOAD&name=" + collection);
        System.getLogger(SolrIndex.class.getName()).log(System.Logger.Level.INFO,
                "index: collection " + collection + " moved from configuration " + current + " to " + config);
    }

    private String path(String handler) {
        return "/" + collection + handler;
    }

    @Override
    public Indexed replaceHost(IndexedHost host, Optional<Indexed> was) throws IOException {
        Documents.Built built = Documents.host(host);
        Indexed now = Indexed.of(host, built.digest());
        if (was.isPresent() && was.get().equals(now)) {
            return was.get();
        }
        if (was.isPresent() && was.get().sameDocuments(now)) {
            seen(host.host(), now.lastSeen().orElseThrow());
            return now;
        }
        List<Document> docs = built.documents();
        String owner = "host:" + host.host();
        ObjectNode root = solrDocument(docs.get(0), owner, owner).put(SolrConfigSet.PART, part);
        if (docs.size() > 1) {
            ArrayNode children = root.putArray("_childDocuments_");
            for (int i = 1; i < docs.size(); i++) {
                children.add(solrDocument(docs.get(i), owner + "/" + i, owner).put(SolrConfigSet.PART, part));
            }
        }
        ObjectNode update = JSON.objectNode();
        update.putObject("add").set("doc", root);
        nodes.post(path("/update"), update);
        return now;
    }

    /**
     * An in-place update of the host document (its id is its owner): the field is neither indexed
     * nor stored, only in doc values, so Solr changes its value where it is and leaves the
     * host's block alone. {@code _version_} 1 asks that the document exist: Solr would otherwise
     * make a new document of the update alone for a host removed meanwhile.
     */
    @Override
    public void seen(String host, Instant when) throws IOException {
        String owner = "host:" + host;
        ObjectNode doc = JSON.objectNode().put("id", owner).put(SolrQueries.field(Schema.OWNER), owner).put("_version_", 1);
        doc.putObject(SolrQueries.field(Schema.timeField(IndexField.LAST_SEEN.word()))).put("set", Schema.millis(Optional.of(when)));
        ObjectNode update = JSON.objectNode();
        update.putObject("add").set("doc", doc);
        nodes.post(path("/update"), update);
    }

    @Override
    public void removeHost(String host) throws IOException {
        String owner = "host:" + host;
        ObjectNode update = JSON.objectNode();
        update.putObject("delete").put("query", "{!term f=" + Schema.OWNER + "}" + owner);
        nodes.post(path("/update?_route_=" + encode(owner)), update);
    }

    @Override
    public void replaceAdvisories(Collection<Advisory> advisories) throws IOException {
        // One request: the old advisories' deletion and the new ones, applied in order on their shard.
        // Written as text: Solr's update format repeats the "add" key, which a JSON object node cannot.
        StringBuilder body = new StringBuilder("{\"delete\":{\"query\":\"{!term f=" + Schema.OWNER + "}" + ADVISORIES + "\"}");
        int i = 0;
        for (Advisory a : advisories) {
            ObjectNode add = JSON.objectNode();
            add.set("doc", solrDocument(Documents.advisory(a), ADVISORIES + "/" + i++, ADVISORIES));
            body.append(",\"add\":").append(add);
        }
        body.append('}');
        nodes.post(path("/update?_route_=" + ADVISORIES), "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the hosts this server wrote, and the advisories (which it writes again); other servers' hosts stay. */
    @Override
    public void clear() throws IOException {
        ObjectNode update = JSON.objectNode();
        update.putObject("delete").put("query", "{!term f=" + SolrConfigSet.PART + "}" + part);
        nodes.post(path("/update"), update);
        replaceAdvisories(List.of());
    }

    /** This server's hosts: the host documents of its part. */
    @Override
    public Map<String, Indexed> indexedHosts() throws IOException {
        Map<String, Indexed> out = new LinkedHashMap<>();
        String cursor = "*";
        while (true) {
            ObjectNode request = request(SearchQuery.builder("host").build());
            request.putArray("filter").add(JSON.objectNode().set("term", JSON.objectNode().put("f", SolrConfigSet.PART).put("query", part)));
            request.put("limit", 10_000).put("sort", "id asc").put("fields", String.join(",", IndexField.HOST.word(), IndexField.CHECKSUM.word(),
                    IndexField.VERDICT.word(), IndexField.GROUP.word(), IndexField.DIGEST.word(), solrName(IndexField.LAST_SEEN)));
            request.putObject("params").put("cursorMark", cursor);
            JsonNode answer = nodes.post(path("/query"), request);
            for (JsonNode doc : answer.path("response").path("docs")) {
                Row row = row(doc);
                Indexed.of(row).ifPresent(i -> out.put(row.get(IndexField.HOST), i));
            }
            String next = answer.path("nextCursorMark").asText(cursor);
            if (next.equals(cursor)) {
                return out;
            }
            cursor = next;
        }
    }

    @Override
    public void refresh() throws IOException {
        nodes.post(path("/update?softCommit=true&commit=true&waitSearcher=true"), JSON.objectNode());
    }

    @Override
    public void commit() throws IOException {
        nodes.post(path("/update?commit=true&waitSearcher=true"), JSON.objectNode());
    }

    /**
     * The count of documents and the highest update version among them: a write adds documents
     * with a higher version, a removal lowers the count, so the pair changes with every change
     * that became visible, whichever server made it.
     */
    @Override
    public long version() throws IOException {
        ObjectNode request = JSON.objectNode();
        request.put("query", "*:*").put("limit", 0);
        request.putObject("facet").put("v", "max(_version_)");
        JsonNode answer = nodes.post(path("/query"), request);
        long count = answer.path("response").path("numFound").asLong();
        long max = answer.path("facets").path("v").asLong();
        return max * 31 + count;
    }

    private ObjectNode request(SearchQuery q) {
        ObjectNode request = JSON.objectNode();
        request.set("query", SolrQueries.of(q.query()));
        return request;
    }

    @Override
    public long documents() throws IOException {
        ObjectNode request = JSON.objectNode();
        request.put("query", "*:*");
        request.put("limit", 0);
        return nodes.post(path("/query"), request).path("response").path("numFound").asLong();
    }

    @Override
    public long count(SearchQuery q) throws IOException {
        ObjectNode request = request(q);
        request.put("limit", 0);
        return nodes.post(path("/query"), request).path("response").path("numFound").asLong();
    }

    @Override
    public long sum(SearchQuery q, IndexField field) throws IOException {
        IndexArguments.number(field);
        ObjectNode request = request(q);
        request.put("limit", 0);
        request.putObject("facet").put("sum", "sum(" + field.word() + ")");
        return Math.round(nodes.post(path("/query"), request).path("facets").path("sum").asDouble());
    }

    @Override
    public Result search(SearchQuery q, int offset, int limit, int facetValues) throws IOException {
        IndexArguments.page(offset, limit, facetValues);
        if ((long) offset + limit > 10_000) {
            // Solr would make room for every row asked for: ask for no more than there are.
            limit = (int) Math.max(0, Math.min(limit, count(q) - offset));
        }
        ObjectNode request = request(q);
        request.put("offset", offset).put("limit", limit).put("sort", SolrQueries.sort(q.sort())).put("fields", ROW_FIELDS);
        List<String> dims = facetValues == 0 ? List.of() : Schema.FACETS_BY_TYPE.get(q.type());
        if (!dims.isEmpty()) {
            ObjectNode params = request.putObject("params");
            params.put("facet", "true").put("facet.mincount", 1).put("facet.sort", "count")
                    // One more than shown: an empty value is counted by Solr, not by Lucene's facets, and is dropped.
                    .put("facet.limit", facetValues + 1);
            ArrayNode fields = params.putArray("facet.field");
            dims.forEach(fields::add);
        }
        JsonNode answer = nodes.post(path("/query"), request);
        List<Row> rows = new ArrayList<>();
        for (JsonNode doc : answer.path("response").path("docs")) {
            rows.add(row(doc));
        }
        Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
        for (String dim : dims) {
            JsonNode counts = answer.path("facet_counts").path("facet_fields").path(dim);
            Map<String, Long> values = new LinkedHashMap<>();
            for (int i = 0; i + 1 < counts.size() && values.size() < facetValues; i += 2) {
                if (!counts.get(i).asText().isEmpty()) {
                    values.put(counts.get(i).asText(), counts.get(i + 1).asLong());
                }
            }
            if (!values.isEmpty()) {
                facets.put(dim, java.util.Collections.unmodifiableMap(values));
            }
        }
        return new Result(answer.path("response").path("numFound").asLong(), List.copyOf(rows),
                java.util.Collections.unmodifiableMap(facets));
    }

    /** A Solr document as a row: its stored fields, numbers as Lucene stores them (long), a several-valued field as a list. */
    private static Row row(JsonNode doc) {
        Map<String, Object> row = new LinkedHashMap<>();
        doc.fields().forEachRemaining(e -> {
            IndexField f = BY_SOLR_NAME.get(e.getKey());
            if (f == null) {
                return;
            }
            if (f.kind() == IndexField.Kind.TIME) {
                row.put(f.word(), Schema.timeText(e.getValue().asLong()));
            } else if (f.multiValued()) {
                List<Object> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                row.put(f.word(), values);
            } else {
                row.put(f.word(), f.kind() == IndexField.Kind.NUMBER ? (Object) e.getValue().asLong() : e.getValue().asText());
            }
        });
        return new Row(row);
    }

    /**
     * Every CVE's tally, from JSON facets: a bucket per CVE with its documents (exposures), its
     * distinct hosts (distinct blocks: a host's documents are one block on one shard, so each
     * shard's count is exact and they add up), its states, its states per urgency, its sources
     * by hosts, and the least "since" (an unknown one is empty, which sorts first).
     */
    @Override
    public Map<String, CveTally> cveTallies(SearchQuery q) throws IOException {
        IndexArguments.cves(q);
        ObjectNode request = request(q);
        request.put("limit", 0);
        ObjectNode cves = request.putObject("facet").putObject("cves");
        terms(cves, IndexField.CVE, "index asc");
        ObjectNode sub = cves.putObject("facet");
        sub.put("hosts", "uniqueBlock(_root_)");
        terms(sub.putObject("states"), IndexField.CVE_STATE, "index asc");
        ObjectNode urgencies = sub.putObject("urgencies");
        terms(urgencies, IndexField.URGENCY, "index asc");
        terms(urgencies.putObject("facet").putObject("states"), IndexField.CVE_STATE, "index asc");
        terms(sub.putObject("sources"), IndexField.SOURCE, "count desc");
        ObjectNode since = sub.putObject("since");
        terms(since, IndexField.SINCE, "index asc");
        since.put("limit", 1);
        JsonNode answer = nodes.post(path("/query"), request);
        Map<String, CveTally> out = new LinkedHashMap<>();
        for (JsonNode b : answer.path("facets").path("cves").path("buckets")) {
            String cve = b.path("val").asText();
            Map<String, Long> states = new LinkedHashMap<>();
            b.path("states").path("buckets").forEach(s -> states.put(s.path("val").asText(), s.path("count").asLong()));
            Map<String, Set<String>> byUrgency = new LinkedHashMap<>();
            b.path("urgencies").path("buckets").forEach(u -> {
                Set<String> in = new LinkedHashSet<>();
                u.path("states").path("buckets").forEach(s -> in.add(s.path("val").asText()));
                byUrgency.put(u.path("val").asText(), Set.copyOf(in));
            });
            List<Map.Entry<String, Long>> sources = new ArrayList<>();
            b.path("sources").path("buckets").forEach(s -> sources.add(Map.entry(s.path("val").asText(), s.path("count").asLong())));
            sources.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            JsonNode oldest = b.path("since").path("buckets");
            out.put(cve, new CveTally(cve, b.path("hosts").asLong(), b.path("count").asLong(), states, byUrgency,
                    oldest.isEmpty() ? "" : oldest.get(0).path("val").asText(), sources.stream().map(Map.Entry::getKey).toList()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static void terms(ObjectNode facet, IndexField field, String sort) {
        facet.put("type", "terms").put("field", field.word()).put("limit", -1).put("sort", sort);
    }

    /** Counted from the tallies of every host CVE document (Solr keeps no figures of its own between requests). */
    @Override
    public OpenCves openCves() throws IOException {
        return OpenCves.of(cveTallies(SearchQuery.builder("cve").build()).values());
    }

    /**
     * A Lucene document as Solr takes it: each field once per value, in the form Solr's schema
     * indexes ({@link SolrConfigSet}); a field held only as doc values (a sort's) is sent when
     * the document holds it in no other form; Lucene's own fields ({@code $}) are not sent: the
     * facet fields (Solr counts a field's own values) and {@link CveOrder}'s (Solr sorts by the
     * fields the key is made of).
     */
    private static ObjectNode solrDocument(Document d, String id, String owner) {
        Map<String, Set<Object>> values = new LinkedHashMap<>();
        Map<String, Object> docValuesOnly = new LinkedHashMap<>();
        for (IndexableField f : d.getFields()) {
            String name = f.name();
            if (name.startsWith("$") || name.equals(Schema.ID) || f.fieldType().pointDimensionCount() > 0) {
                continue;
            }
            Object value = f.stringValue() != null ? f.stringValue() : f.numericValue() != null ? f.numericValue()
                    : f.binaryValue() != null ? SolrQueries.hex(f.binaryValue()) : null;
            if (value == null) {
                continue;
            }
            boolean onlyDocValues = f.fieldType().docValuesType() != DocValuesType.NONE && !f.fieldType().stored()
                    && f.fieldType().indexOptions() == IndexOptions.NONE;
            if (onlyDocValues) {
                docValuesOnly.putIfAbsent(name, value);
            } else {
                values.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(value);
            }
        }
        docValuesOnly.forEach((name, value) -> values.computeIfAbsent(name, k -> new LinkedHashSet<>(List.of(value))));
        ObjectNode doc = JSON.objectNode();
        doc.put("id", id);
        for (Map.Entry<String, Set<Object>> e : values.entrySet()) {
            String name = SolrQueries.field(e.getKey());
            boolean multi = IndexField.of(e.getKey()).map(IndexField::multiValued).orElse(false);
            if (multi) {
                ArrayNode a = doc.putArray(name);
                e.getValue().forEach(v -> a.add(v.toString()));
            } else {
                Object v = e.getValue().iterator().next();
                if (v instanceof Number n) {
                    doc.put(name, n.longValue());
                } else {
                    doc.put(name, v.toString());
                }
            }
        }
        doc.put(SolrQueries.field(Schema.OWNER), owner);
        return doc;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        nodes.close();
    }
}
