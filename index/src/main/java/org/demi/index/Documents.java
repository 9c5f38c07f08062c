package org.demi.index;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.advisory.Advisory;
import org.demi.compliance.advisory.ReleaseFix;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.OpenAdvisory;
import org.demi.compliance.evaluation.PackageEvaluation;
import org.demi.compliance.evaluation.PackageState;
import org.demi.deb.version.Version;

/** Turns evaluations and advisories into Lucene documents, field by field as {@link Schema} says. */
final class Documents {
    static final FacetsConfig FACETS = new FacetsConfig();

    static {
        for (String f : Schema.MULTI_VALUED) {
            FACETS.setMultiValued(f, true);
        }
        for (String dim : Schema.FACETS) {
            FACETS.setIndexFieldName(dim, Schema.facetField(dim)); // counted only when asked for
        }
    }

    private Documents() {
    }

    /** The host's document and one per installed package, all owned by the host. */
    static List<Document> host(IndexedHost h) throws java.io.IOException {
        HostEvaluation e = h.evaluation();
        String owner = "host:" + h.host();
        List<Document> docs = new ArrayList<>(e.packages().size() + 1);
        Document d = new Document();
        common(d, "host", owner);
        keyword(d, "host", h.host());
        for (String g : h.groups()) {
            multi(d, "group", g);
        }
        keyword(d, "release", e.release().orElse("unknown"));
        keyword(d, "support", e.support().word());
        keyword(d, "verdict", h.verdict().word());
        number(d, "packages", e.packages().size());
        number(d, "updates", e.count(PackageState.UPDATE));
        number(d, "security_updates", e.count(PackageState.SECURITY_UPDATE));
        Set<String> open = new LinkedHashSet<>();
        e.openAdvisories().forEach(a -> open.add(a.id()));
        number(d, "open_advisories", open.size());
        for (String id : open) {
            multi(d, "advisory", id);
        }
        keyword(d, "oldest_advisory", e.oldestOpenAdvisory().map(Object::toString).orElse(""));
        keyword(d, "last_seen", h.lastSeen().map(Object::toString).orElse(""));
        d.add(new StoredField("checksum", h.checksum()));
        docs.add(FACETS.build(d));

        for (PackageEvaluation p : e.packages()) {
            Document pd = new Document();
            common(pd, "package", owner);
            keyword(pd, "host", h.host());
            for (String g : h.groups()) {
                multi(pd, "group", g);
            }
            keyword(pd, "release", e.release().orElse("unknown"));
            keyword(pd, "verdict", h.verdict().word());
            keyword(pd, "package", p.packageName());
            keyword(pd, "arch", p.architecture());
            keyword(pd, "source", p.source().name());
            version(pd, "source_version", p.source().version());
            version(pd, "version", p.installed());
            version(pd, "newest", p.newest());
            version(pd, "security_version", p.newestSecurity());
            keyword(pd, "state", p.state().word());
            for (String id : p.advisories()) {
                multi(pd, "advisory", id);
            }
            for (OpenAdvisory a : e.openAdvisories()) {
                if (a.source().equals(p.source().name())) {
                    for (String cve : a.cves()) {
                        multi(pd, "cve", cve);
                    }
                }
            }
            pd.add(new TextField(Schema.TEXT, p.packageName() + " " + p.description(), Field.Store.NO));
            pd.add(new StoredField("description", p.description()));
            docs.add(FACETS.build(pd));
        }
        return docs;
    }

    /** One document per advisory, all owned by "advisories". */
    static Document advisory(Advisory a) throws java.io.IOException {
        Document d = new Document();
        common(d, "advisory", "advisories");
        multi(d, "advisory", a.id());
        keyword(d, "date", a.date().toString());
        keyword(d, "source", a.source());
        for (String cve : a.cves()) {
            multi(d, "cve", cve);
        }
        for (ReleaseFix f : a.fixes()) {
            multi(d, "fixed_in", f.release());
            d.add(new StoredField("fixed", f.release() + " " + f.source() + " "
                    + (f.fixedVersion() != null ? f.fixedVersion().toString() : "<" + f.kind().marker() + ">")));
        }
        d.add(new TextField(Schema.TEXT, a.id() + " " + a.source() + " " + a.description(), Field.Store.NO));
        d.add(new StoredField("description", a.description()));
        return FACETS.build(d);
    }

    private static void common(Document d, String type, String owner) {
        keyword(d, Schema.TYPE, type);
        d.add(new StringField(Schema.OWNER, owner, Field.Store.NO));
    }

    static void keyword(Document d, String field, String value) {
        d.add(new StringField(field, value, Field.Store.YES));
        d.add(new SortedDocValuesField(field, new BytesRef(value)));
        if (Schema.FACETS.contains(field) && !value.isEmpty()) {
            d.add(new SortedSetDocValuesFacetField(field, value));
        }
    }

    private static void multi(Document d, String field, String value) {
        d.add(new StringField(field, value, Field.Store.YES));
        if (Schema.FACETS.contains(field)) {
            d.add(new SortedSetDocValuesFacetField(field, value));
        }
    }

    private static void number(Document d, String field, long value) {
        d.add(new IntPoint(field, (int) value));
        d.add(new NumericDocValuesField(field, value));
        d.add(new StoredField(field, value));
    }

    private static void version(Document d, String field, Version v) {
        if (v == null) {
            return;
        }
        BytesRef key = new BytesRef(v.sortKey());
        d.add(new StringField(Schema.keyField(field), key, Field.Store.NO));
        d.add(new SortedDocValuesField(Schema.keyField(field), key));
        d.add(new StoredField(field, v.toString()));
    }
}
