package org.demi.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Solr configuration set of Demi's collection, made from {@link IndexField} and {@link
 * Schema} as the Lucene documents are, so both back ends index the same fields the same way:
 * keywords as strings with doc values (filtered, sorted, faceted), versions shown as written and
 * compared by their sort key, numbers as points, the full text with Lucene's standard analyser
 * (its tokenizer, lower-cased, no stop words) as terms alone, as {@link FullText} holds it. A
 * host's documents are one block, its host document the root, so replacing the root replaces
 * them all at once; documents are routed to a shard by their owner, so a host's block never
 * spans shards.
 *
 * <p>Changes become searchable within a second without a request for it (a soft commit), and
 * durable within 15 s (a hard commit); the update log keeps what was acknowledged in between.
 */
final class SolrConfigSet {
    /** The hidden field naming the server that wrote a host's documents (see {@link FleetIndex#solr}). */
    static final String PART = "part";

    private SolrConfigSet() {
    }

    static String schema() {
        StringBuilder s = new StringBuilder();
        s.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <schema name="demi" version="1.6">
                  <uniqueKey>id</uniqueKey>
                  <fieldType name="string" class="solr.StrField" sortMissingLast="true" docValues="true"/>
                  <fieldType name="pint" class="solr.IntPointField" docValues="true"/>
                  <fieldType name="plong" class="solr.LongPointField" docValues="true"/>
                  <fieldType name="text" class="solr.TextField" omitNorms="true" omitTermFreqAndPositions="true">
                    <analyzer>
                      <tokenizer class="solr.StandardTokenizerFactory"/>
                      <filter class="solr.LowerCaseFilterFactory"/>
                    </analyzer>
                  </fieldType>
                  <field name="id" type="string" indexed="true" stored="true" docValues="false" required="true"/>
                  <field name="_root_" type="string" indexed="true" stored="false" docValues="true" useDocValuesAsStored="false"/>
                  <field name="_version_" type="plong" indexed="false" stored="false" useDocValuesAsStored="false"/>
                """);
        field(s, Schema.OWNER, "string", true, false, false, false);
        field(s, PART, "string", true, false, false, false);
        field(s, Schema.TEXT, "text", true, false, false, false);
        field(s, Schema.URGENCY_RANK, "pint", false, false, true, false);
        for (IndexField f : IndexField.values()) {
            String name = f.word();
            switch (f.kind()) {
                case KEYWORD -> field(s, name, "string", true, true, true, false);
                case MULTI -> field(s, name, "string", true, true, true, true);
                case NUMBER -> field(s, name, "pint", true, true, true, false);
                // Neither indexed nor stored: Solr then changes it in place (see FleetIndex#seen).
                case TIME -> field(s, Schema.timeField(name), "plong", false, false, true, false);
                case STORED -> field(s, name, "string", false, true, false, false);
                case STORED_MULTI -> field(s, name, "string", false, true, false, true);
                case VERSION -> {
                    field(s, name, "string", false, true, false, false);
                    field(s, Schema.keyField(name), "string", true, false, true, false);
                }
            }
        }
        return s.append("</schema>\n").toString();
    }

    private static void field(StringBuilder s, String lucene, String type, boolean indexed, boolean stored, boolean docValues,
            boolean multi) {
        s.append("  <field name=\"").append(SolrQueries.field(lucene)).append("\" type=\"").append(type)
                .append("\" indexed=\"").append(indexed).append("\" stored=\"").append(stored)
                .append("\" docValues=\"").append(docValues).append("\" multiValued=\"").append(multi)
                .append("\" useDocValuesAsStored=\"false\"/>\n");
    }

    static String solrconfig() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <luceneMatchVersion>9.12</luceneMatchVersion>
                  <dataDir>${solr.data.dir:}</dataDir>
                  <directoryFactory name="DirectoryFactory" class="${solr.directoryFactory:solr.NRTCachingDirectoryFactory}"/>
                  <schemaFactory class="ClassicIndexSchemaFactory"/>
                  <updateHandler class="solr.DirectUpdateHandler2">
                    <updateLog>
                      <str name="dir">${solr.ulog.dir:}</str>
                    </updateLog>
                    <autoCommit>
                      <maxTime>${solr.autoCommit.maxTime:15000}</maxTime>
                      <openSearcher>false</openSearcher>
                    </autoCommit>
                    <autoSoftCommit>
                      <maxTime>${solr.autoSoftCommit.maxTime:1000}</maxTime>
                    </autoSoftCommit>
                  </updateHandler>
                  <query>
                    <maxBooleanClauses>${solr.max.booleanClauses:1024}</maxBooleanClauses>
                  </query>
                  <requestHandler name="/select" class="solr.SearchHandler"/>
                  <requestHandler name="/query" class="solr.SearchHandler"/>
                </config>
                """;
    }

    /** The configuration set as the Configsets API takes it: a zip of the two files. */
    static byte[] zip() throws IOException {
        return zip(schema());
    }

    /** The configuration set with this schema. */
    static byte[] zip(String schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("solrconfig.xml"));
            zip.write(solrconfig().getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("schema.xml"));
            zip.write(schema.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A name that changes with the configuration, so a Demi whose schema changed uploads its own. */
    static String name() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((solrconfig() + schema()).getBytes(StandardCharsets.UTF_8));
            return "demi-" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
