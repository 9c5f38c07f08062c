package org.demi.index;

import static org.demi.index.IndexField.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.ReleaseFix;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.HostCve;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.HostKernel;
import org.demi.compliance.fleet.CveTimeline;
import org.demi.compliance.evaluation.OpenAdvisory;
import org.demi.compliance.evaluation.PackageEvaluation;
import org.demi.compliance.evaluation.PackageState;
import org.demi.deb.version.Version;

/** Turns evaluations and advisories into Lucene documents, field by field as {@link Schema} says. */
final class Documents {
    /**
     * The facet fields' layout as Lucene's facet module describes it: the documents hold exactly
     * what {@code FACETS.build} would make of {@link SortedSetDocValuesFacetField}s (see
     * {@link #facet}), so Lucene's own facet counting reads them too (the tests and benchmarks
     * count with it to check Demi's counts).
     */
    static final FacetsConfig FACETS = new FacetsConfig();

    static {
        for (IndexField f : IndexField.values()) {
            FACETS.setMultiValued(f.word(), f.multiValued());
        }
        for (String dim : Schema.FACETS) {
            FACETS.setIndexFieldName(dim, Schema.facetField(dim)); // counted only when asked for
            // Searches filter on the fields themselves: the facets' own drill-down terms would be
            // indexed for nothing, once per value of every document.
            FACETS.setDrillDownTermsIndexing(dim, FacetsConfig.DrillDownTermsIndexing.NONE);
        }
    }

    /**
     * A host's documents, the exposures its CVE documents count for (see {@link OpenCves}), and
     * the digest of the documents, which the host's document also holds ({@link IndexField#DIGEST}).
     */
    record Built(List<Document> documents, List<OpenCves.Exposure> exposures, String digest) {
        /**
         * {@code documents}, the host's first, with their digest added to the host's, and then
         * the host's fields that change in place: documents that differ only in those are the
         * same documents, whose fields are changed where they are instead of written again.
         */
        static Built of(IndexedHost h, List<Document> documents, List<OpenCves.Exposure> exposures) {
            String digest = DocumentDigest.of(documents);
            Document host = documents.get(0);
            host.add(new StoredField(DIGEST.word(), digest));
            host.add(seen(h.lastSeen()));
            return new Built(documents, exposures, digest);
        }
    }

    /** A host's {@link IndexField#LAST_SEEN}, as its document holds it and as it is changed in place. */
    static NumericDocValuesField seen(java.util.Optional<java.time.Instant> when) {
        return new NumericDocValuesField(Schema.timeField(LAST_SEEN.word()), Schema.millis(when));
    }

    private Documents() {
    }

    /**
     * The host's document and one per installed package, all owned by the host. A host with no
     * evaluation (never collected) has its document alone, with its verdict and reason.
     */
    static Built host(IndexedHost h) throws java.io.IOException {
        String owner = "host:" + h.host();
        Document d = new Document();
        common(d, "host", owner);
        keyword(d, HOST, h.host());
        for (String g : h.groups()) {
            multi(d, GROUP, g);
        }
        d.add(new StoredField(REASON.word(), h.reason()));
        keyword(d, VERDICT, h.verdict().word());
        d.add(new StringField(Schema.ID, owner, Field.Store.NO));
        d.add(new StoredField(CHECKSUM.word(), h.checksum()));
        if (h.evaluation().isEmpty()) {
            // Never collected: what is known of it, and zero counts, so that it sorts and filters with the rest.
            keyword(d, RELEASE, "");
            keyword(d, SUPPORT, "");
            for (IndexField f : List.of(PACKAGES, UPDATES, SECURITY_UPDATES, OPEN_ADVISORIES, OPEN_CVES, FIXABLE_CVES, REMEDIATED,
                    REMEDIATION_HOURS, UNSUPPORTED, WAITING)) {
                number(d, f, 0);
            }
            keyword(d, WAITING_SINCE, "");
            keyword(d, OLDEST_ADVISORY, "");
            keyword(d, KERNEL, "");
            keyword(d, BOOTED, "");
            keyword(d, REBOOT_REQUIRED, "no");
            number(d, RESTART_SERVICES, 0);
            return Built.of(h, List.of(d), List.of());
        }
        HostEvaluation e = h.evaluation().get();
        List<Document> docs = new ArrayList<>(e.packages().size() + 1);
        keyword(d, RELEASE, e.release().orElse("unknown"));
        keyword(d, SUPPORT, e.support().word());
        number(d, PACKAGES, e.packages().size());
        number(d, UPDATES, e.count(PackageState.UPDATE));
        number(d, SECURITY_UPDATES, e.count(PackageState.SECURITY_UPDATE));
        Set<String> open = new LinkedHashSet<>();
        e.openAdvisories().forEach(a -> open.add(a.id()));
        number(d, OPEN_ADVISORIES, open.size());
        for (String id : open) {
            multi(d, ADVISORY, id);
        }
        keyword(d, OLDEST_ADVISORY, e.oldestOpenAdvisory().map(Object::toString).orElse(""));
        List<HostCve> cves = e.openCves();
        Map<CveState, Integer> cveCounts = e.cveCounts();
        number(d, OPEN_CVES, cveCounts.entrySet().stream().filter(c -> c.getKey().open()).mapToInt(Map.Entry::getValue).sum());
        number(d, FIXABLE_CVES, cveCounts.get(CveState.FIX_AVAILABLE));
        number(d, UNSUPPORTED, e.packages().stream().filter(p -> p.supportLimit().isPresent()).count());
        number(d, WAITING, h.waiting().size());
        keyword(d, WAITING_SINCE, h.waiting().stream().map(org.demi.compliance.delivery.Waiting::since).min(java.time.Instant::compareTo)
                .map(Object::toString).orElse(""));
        d.add(new StoredField(INSTALL_COMMAND.word(), org.demi.compliance.delivery.Waiting.installCommand(h.waiting())));
        number(d, REMEDIATED, h.cves().remediations().size());
        number(d, REMEDIATION_HOURS, h.cves().remediations().stream().mapToLong(r -> r.took().toHours()).sum());
        keyword(d, KERNEL, e.running().map(r -> r.kernelRelease()).orElse(""));
        e.running().ifPresent(r -> d.add(new StoredField(KERNEL_BUILD.word(), r.kernelVersion())));
        keyword(d, BOOTED, e.running().flatMap(r -> r.bootTime()).map(Object::toString).orElse(""));
        version(d, KERNEL_VERSION, e.kernel().flatMap(HostKernel::runningVersion).orElse(null));
        keyword(d, REBOOT_REQUIRED, e.restarts().rebootRequired() ? "yes" : "no");
        for (String why : e.restarts().reboot()) {
            d.add(new StoredField(REBOOT_REASON.word(), why));
        }
        number(d, RESTART_SERVICES, e.restarts().services().size());
        for (String service : e.restarts().services()) {
            d.add(new StoredField(SERVICES.word(), service));
        }
        docs.add(d);

        // One document per CVE the host is open to, through each source: what "which hosts are
        // still open to CVE-X, and since when?" lists.
        record SourceAt(String source, String version) {
        }
        Map<SourceAt, List<String>> cvesBySource = new HashMap<>();
        List<OpenCves.Exposure> exposures = new ArrayList<>(cves.size());
        List<IndexableField> cveFields = ofHost("cve", h, e);
        for (HostCve c : cves) {
            OpenCves.Exposure exposure = new OpenCves.Exposure(c.id(), c.tracker().urgency().term(), c.state().word());
            exposures.add(exposure);
            cvesBySource.computeIfAbsent(new SourceAt(c.source(), String.valueOf(c.installedSourceVersion())), k -> new ArrayList<>())
                    .add(c.id());
            Document cd = with(cveFields);
            multi(cd, CVE, exposure.cve());
            cd.add(new StringField(ExposureQuery.FIELD, exposure.cve(), Field.Store.NO));
            keyword(cd, SOURCE, c.source());
            version(cd, SOURCE_VERSION, c.installedSourceVersion());
            version(cd, FIXED_VERSION, c.fixedVersion());
            keyword(cd, CVE_STATE, exposure.state());
            keyword(cd, URGENCY, exposure.urgency());
            int urgencyRank = c.tracker().urgency().ordinal();
            cd.add(new NumericDocValuesField(Schema.URGENCY_RANK, urgencyRank));
            keyword(cd, SCOPE, c.scope());
            String since = java.util.Optional.ofNullable(h.cves().since().get(CveTimeline.key(c))).map(Object::toString).orElse("");
            keyword(cd, SINCE, since);
            cd.add(new SortedDocValuesField(CveOrder.FIELD, CveOrder.key(exposure.state(), urgencyRank, since, h.host())));
            for (String id : c.advisories()) {
                multi(cd, ADVISORY, id);
            }
            for (String b : c.binaries()) {
                cd.add(new StoredField(BINARIES.word(), b));
            }
            List<String> remark = new ArrayList<>();
            if (c.tracker().fromNvd()) {
                remark.add("urgency from NVD");
            }
            if (!c.tracker().noDsa().isEmpty() || !c.tracker().noDsaReason().isEmpty()) {
                remark.add((c.tracker().noDsaReason().isEmpty() ? "no-dsa" : c.tracker().noDsaReason())
                        + (c.tracker().noDsa().isEmpty() ? "" : ": " + c.tracker().noDsa()));
            }
            cd.add(new StoredField(REMARK.word(), String.join("; ", remark)));
            cd.add(new FullText(c.id() + " " + c.source() + " " + String.join(" ", c.binaries())));
            docs.add(cd);
        }

        Map<String, List<OpenAdvisory>> advisoriesBySource = new HashMap<>();
        for (OpenAdvisory a : e.openAdvisories()) {
            advisoriesBySource.computeIfAbsent(a.source(), k -> new ArrayList<>()).add(a);
        }
        List<IndexableField> packageFields = ofHost("package", h, e);
        for (PackageEvaluation p : e.packages()) {
            Document pd = with(packageFields);
            keyword(pd, PACKAGE, p.packageName());
            keyword(pd, ARCH, p.architecture());
            keyword(pd, SOURCE, p.source().name());
            version(pd, SOURCE_VERSION, p.source().version());
            version(pd, VERSION, p.installed());
            version(pd, NEWEST, p.newest());
            version(pd, SECURITY_VERSION, p.newestSecurity());
            keyword(pd, STATE, p.state().word());
            keyword(pd, SUPPORT_LIMIT, p.supportLimit().map(l -> l.kind().word()).orElse(""));
            pd.add(new StoredField(SUPPORT_NOTE.word(), p.supportLimit().map(l -> l.describe()).orElse("")));
            boolean ended = p.supportLimit().map(l -> l.kind() == org.demi.compliance.evaluation.SupportLimit.Kind.ENDED).orElse(false);
            number(pd, ATTENTION, !p.advisories().isEmpty() ? 3
                    : p.state() == PackageState.SECURITY_UPDATE || p.state() == PackageState.FIX_NOT_IN_MIRROR || ended ? 2
                    : p.state() == PackageState.UPDATE ? 1 : 0);
            for (String id : p.advisories()) {
                multi(pd, ADVISORY, id);
            }
            Set<String> packageCves = new LinkedHashSet<>();
            for (OpenAdvisory a : advisoriesBySource.getOrDefault(p.judgedAs().name(), List.of())) {
                packageCves.addAll(a.cves());
            }
            packageCves.addAll(cvesBySource.getOrDefault(new SourceAt(p.judgedAs().name(), String.valueOf(p.judgedAs().version())),
                    List.of()));
            for (String cve : packageCves) {
                multi(pd, CVE, cve);
            }
            pd.add(new FullText(p.packageName() + " " + p.description()));
            pd.add(new StoredField(DESCRIPTION.word(), p.description()));
            docs.add(pd);
        }
        return Built.of(h, docs, exposures);
    }

    /**
     * What each of the host's package or CVE documents holds first: its type, its owner (the
     * host), and the host's fields to filter on. Made once for all of them (fields are only read
     * as documents are written), instead of once per document.
     */
    private static List<IndexableField> ofHost(String type, IndexedHost h, HostEvaluation e) {
        Document d = new Document();
        common(d, type, "host:" + h.host());
        keyword(d, HOST, h.host());
        for (String g : h.groups()) {
            multi(d, GROUP, g);
        }
        keyword(d, RELEASE, e.release().orElse("unknown"));
        keyword(d, VERDICT, h.verdict().word());
        return d.getFields();
    }

    private static Document with(List<IndexableField> fields) {
        Document d = new Document();
        fields.forEach(d::add);
        return d;
    }

    /** One document per advisory, all owned by "advisories". */
    static Document advisory(Advisory a) throws java.io.IOException {
        Document d = new Document();
        common(d, "advisory", "advisories");
        multi(d, ADVISORY, a.id());
        keyword(d, DATE, a.date().toString());
        keyword(d, SOURCE, a.source());
        for (String cve : a.cves()) {
            multi(d, CVE, cve);
        }
        for (ReleaseFix f : a.fixes()) {
            multi(d, FIXED_IN, f.release());
            d.add(new StoredField(FIXED.word(), f.release() + " " + f.source() + " "
                    + (f.fixedVersion() != null ? f.fixedVersion().toString() : "<" + f.kind().marker() + ">")));
        }
        d.add(new FullText(a.id() + " " + a.source() + " " + a.description()));
        d.add(new StoredField(DESCRIPTION.word(), a.description()));
        return d;
    }

    private static void common(Document d, String type, String owner) {
        keyword(d, TYPE, type);
        d.add(new StringField(Schema.OWNER, owner, Field.Store.NO));
    }

    static void keyword(Document d, IndexField f, String value) {
        String field = f.word();
        d.add(SortableField.keyword(field, value));
        if (Schema.FACETS.contains(field) && !value.isEmpty()) {
            d.add(facet(field, value));
        }
    }

    private static void multi(Document d, IndexField f, String value) {
        String field = f.word();
        d.add(new StringField(field, value, Field.Store.YES));
        if (Schema.FACETS.contains(field)) {
            d.add(facet(field, value));
        }
    }

    /**
     * A value's facet field, as {@link FacetsConfig#build} makes it of a flat dimension's
     * {@link SortedSetDocValuesFacetField} with no drill-down terms: its path in the dimension's
     * own field. Made here, a value at a time, because the facet module's build copies every
     * document and looks each dimension up by name: nearly a quarter of the cost of building a
     * host's documents, in a profile of a start.
     */
    private static SortedSetDocValuesField facet(String field, String value) {
        return new SortedSetDocValuesField(Schema.facetField(field), Schema.facetPath(field, value));
    }

    private static void number(Document d, IndexField f, long value) {
        String field = f.word();
        d.add(new IntPoint(field, (int) value));
        d.add(new NumericDocValuesField(field, value));
        d.add(new StoredField(field, value));
    }

    private static void version(Document d, IndexField f, Version v) {
        if (v == null) {
            return;
        }
        d.add(SortableField.key(Schema.keyField(f), new BytesRef(v.sortKey())));
        d.add(new StoredField(f.word(), v.toString()));
    }
}
