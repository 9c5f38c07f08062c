package org.demi.index;

import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;

/**
 * A CVE's host CVE documents ({@code type:cve cve:CVE-X}, the hosts a CVE's page lists), read
 * from a field only those documents hold.
 *
 * <p>The {@code cve} field is held by installed packages and advisories too: the most common
 * CVE of 10,000 generated hosts has 94,000 postings there for 13,000 host CVE documents. Asked as
 * the two terms together, Lucene went through those postings and checked each one's type: 2.6 ms
 * to count that CVE's hosts, where going through all 94,000 postings alone takes 0.5 ms; and the
 * CVE page counts and ranks its hosts once per reader.
 *
 * <p>Lucene's alone ({@code $}, as the facet fields): Solr is asked the two terms.
 */
final class ExposureQuery extends Query {
    /** A host CVE document's CVE, in a field of its own. */
    static final String FIELD = "$exposure";

    private static final Term TYPE = new Term(Schema.TYPE, "cve");
    /** How a question asks for host CVE documents ({@link SearchQuery#typeIs}). */
    private static final Query OF_TYPE = SearchQuery.typeIs("cve");

    private final String cve;

    /** The host CVE documents of {@code cve}: what {@code type:cve cve:CVE-X} finds, in every segment. */
    ExposureQuery(String cve) {
        this.cve = cve;
    }

    /** The two terms this query stands for. */
    private Query asked() {
        return new BooleanQuery.Builder()
                .add(OF_TYPE, BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexField.CVE.word(), cve)), BooleanClause.Occur.FILTER)
                .build();
    }

    /**
     * The field's term. Every host CVE document holds the field: an index written before it was
     * also written before the index kept its host order, and is written anew ({@link LuceneIndex#ORDER}).
     */
    @Override
    public Query rewrite(IndexSearcher searcher) {
        return new ConstantScoreQuery(new TermQuery(new Term(FIELD, cve)));
    }

    @Override
    public void visit(QueryVisitor visitor) {
        asked().visit(visitor.getSubVisitor(BooleanClause.Occur.FILTER, this));
    }

    @Override
    public String toString(String field) {
        return "+" + TYPE + " +" + IndexField.CVE.word() + ":" + cve;
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && cve.equals(((ExposureQuery) other).cve);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + cve.hashCode();
    }
}
