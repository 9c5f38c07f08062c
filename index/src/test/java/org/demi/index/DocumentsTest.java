package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.MultiDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.demi.compliance.evaluation.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Documents writes the index Lucene's own document classes would: a keyword as one field that
 * Lucene takes for its {@code StringField} and {@code SortedDocValuesField} of the same name, and
 * facet fields exactly as Lucene's facet module builds them, which Demi's counting and Lucene's
 * own both read.
 */
class DocumentsTest {
    /** A judged minbase host open to the test tracker's CVEs, in two groups, one of whose names needs the facet path's escaping. */
    private static Documents.Built minbase() throws Exception {
        return Documents.host(new IndexedHost("h1", List.of("ops", "odd\u001fgroup"), Verdict.NON_COMPLIANT, Optional.empty(), "c",
                MinbaseHost.evaluate("h1", CveTalliesTest.TRACKER)));
    }

    @Test
    void theFacetFieldsAreWhatLucenesFacetModuleBuilds() throws Exception {
        Documents.Built built = minbase();
        assertThat(built.documents()).as("the host's, its packages' and its CVEs'").hasSizeGreaterThan(100);
        assertThat(built.documents().stream().map(d -> d.get(IndexField.TYPE.word())).distinct()).containsExactlyInAnyOrder("host",
                "package", "cve");
        for (Document d : built.documents()) {
            // What the facet module makes of a SortedSetDocValuesFacetField per counted value
            // the document holds (an empty keyword is not counted).
            Document asked = new Document();
            for (IndexableField f : d.getFields()) {
                if (Schema.FACETS.contains(f.name()) && f.fieldType().stored() && !f.stringValue().isEmpty()) {
                    asked.add(new SortedSetDocValuesFacetField(f.name(), f.stringValue()));
                }
            }
            assertThat(facetFields(d)).as(d.get(IndexField.TYPE.word()) + " document " + d.get(IndexField.PACKAGE.word()))
                    .isEqualTo(facetFields(Documents.FACETS.build(asked)));
        }
        // The escaping is the facet module's: the group's name comes back whole.
        assertThat(facetFields(built.documents().get(0))).anyMatch(f -> f.startsWith(Schema.facetField("group") + "=")
                && Schema.facetValue(new BytesRef(f.substring(f.indexOf('=') + 1))).equals("odd\u001fgroup"));
    }

    /** A document's facet fields, each as "name=value", in order of name and value. */
    private static List<String> facetFields(Document d) {
        List<String> fields = new ArrayList<>();
        for (IndexableField f : d.getFields()) {
            if (f.name().startsWith("$facet.")) {
                assertThat(f.fieldType().docValuesType()).isEqualTo(DocValuesType.SORTED_SET);
                assertThat(f.fieldType().indexOptions()).as("no drill-down terms").isEqualTo(IndexOptions.NONE);
                fields.add(f.name() + "=" + f.binaryValue().utf8ToString());
            }
        }
        fields.sort(null);
        return fields;
    }

    @Test
    void aKeywordIsTheFieldLucenesTwoFieldsMake() throws Exception {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
                IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()))) {
            // One document as Lucene's two classes write it, one as Documents does: an index that
            // held both with another schema would refuse the second.
            Document lucenes = new Document();
            lucenes.add(new StringField("package", "bash", Field.Store.YES));
            lucenes.add(new SortedDocValuesField("package", new BytesRef("bash")));
            lucenes.add(new StringField("version.key", new BytesRef(new byte[] {1, 2}), Field.Store.NO));
            lucenes.add(new SortedDocValuesField("version.key", new BytesRef(new byte[] {1, 2})));
            writer.addDocument(lucenes);
            Document ours = new Document();
            ours.add(SortableField.keyword("package", "dash"));
            ours.add(SortableField.key("version.key", new BytesRef(new byte[] {1, 3})));
            writer.addDocument(ours);
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                LeafReader leaf = reader.leaves().get(0).reader();
                FieldInfo keyword = leaf.getFieldInfos().fieldInfo("package");
                assertThat(keyword.getIndexOptions()).isEqualTo(IndexOptions.DOCS);
                assertThat(keyword.getDocValuesType()).isEqualTo(DocValuesType.SORTED);
                assertThat(keyword.omitsNorms()).isTrue();
                FieldInfo key = leaf.getFieldInfos().fieldInfo("version.key");
                assertThat(key.getIndexOptions()).isEqualTo(IndexOptions.DOCS);
                assertThat(key.getDocValuesType()).isEqualTo(DocValuesType.SORTED);
                IndexSearcher searcher = new IndexSearcher(reader);
                assertThat(searcher.count(new TermQuery(new Term("package", "dash")))).isEqualTo(1);
                assertThat(searcher.count(new TermQuery(new Term("version.key", new BytesRef(new byte[] {1, 3}))))).isEqualTo(1);
                assertThat(searcher.storedFields().document(1).get("package")).isEqualTo("dash");
                assertThat(searcher.storedFields().document(1).getField("version.key")).as("a key is not stored").isNull();
                SortedDocValues sorted = MultiDocValues.getSortedValues(reader, "package");
                assertThat(sorted.advanceExact(1)).isTrue();
                assertThat(sorted.lookupOrd(sorted.ordValue()).utf8ToString()).isEqualTo("dash");
                SortedDocValues keys = MultiDocValues.getSortedValues(reader, "version.key");
                assertThat(keys.advanceExact(1)).isTrue();
                assertThat(keys.lookupOrd(keys.ordValue())).isEqualTo(new BytesRef(new byte[] {1, 3}));
            }
        }
    }
}
