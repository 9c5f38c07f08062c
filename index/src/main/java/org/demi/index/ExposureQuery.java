package org.demi.index;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Matches;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;

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
 * <p>Lucene's alone ({@code $}, as the facet fields): Solr is asked the two terms. A segment
 * written by a Demi before the field holds host CVE documents without it until the start after
 * the upgrade has written every host again; such a segment (fewer documents hold the field than
 * are of the type) is asked the two terms, as before.
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

    /** Whether every host CVE document of the segment holds the field (deleted ones counted in both). */
    private static boolean heldByEvery(LeafReaderContext segment) throws IOException {
        Terms own = segment.reader().terms(FIELD);
        return (own == null ? 0 : own.getDocCount()) == segment.reader().docFreq(TYPE);
    }

    /** The two terms this query stands for, as asked before the field. */
    private Query asked() {
        return new BooleanQuery.Builder()
                .add(OF_TYPE, BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexField.CVE.word(), cve)), BooleanClause.Occur.FILTER)
                .build();
    }

    /**
     * The query as Lucene rewrites it, not through {@link FleetSearcher#rewrite}, which would
     * make the two terms this query again.
     */
    private static Query rewritten(Query query, IndexSearcher searcher) throws IOException {
        Query q = query;
        for (Query next = q.rewrite(searcher); next != q; next = q.rewrite(searcher)) {
            q = next;
        }
        return q;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight own = searcher.createWeight(rewritten(new ConstantScoreQuery(new TermQuery(new Term(FIELD, cve))), searcher), scoreMode, boost);
        int segments = searcher.getIndexReader().leaves().size();
        return new Weight(this) {
            /** Each segment's choice, by its place in the searcher's reader: made once per search, not per call. */
            private final Weight[] chosen = new Weight[segments];
            /** The two terms' weight, made only when a segment written before the field is searched. */
            private volatile Weight both;

            private Weight of(LeafReaderContext segment) throws IOException {
                Weight w = segment.ord < segments ? chosen[segment.ord] : null;
                if (w == null) {
                    w = heldByEvery(segment) ? own : both();
                    if (segment.ord < segments) {
                        chosen[segment.ord] = w; // the same choice whichever thread makes it
                    }
                }
                return w;
            }

            private Weight both() throws IOException {
                Weight w = both;
                if (w == null) {
                    w = searcher.createWeight(rewritten(new ConstantScoreQuery(asked()), searcher), scoreMode, boost);
                    both = w;
                }
                return w;
            }

            @Override
            public Scorer scorer(LeafReaderContext segment) throws IOException {
                return of(segment).scorer(segment);
            }

            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext segment) throws IOException {
                return of(segment).scorerSupplier(segment);
            }

            @Override
            public BulkScorer bulkScorer(LeafReaderContext segment) throws IOException {
                return of(segment).bulkScorer(segment);
            }

            @Override
            public int count(LeafReaderContext segment) throws IOException {
                return of(segment).count(segment);
            }

            @Override
            public Matches matches(LeafReaderContext segment, int doc) throws IOException {
                return of(segment).matches(segment, doc);
            }

            @Override
            public Explanation explain(LeafReaderContext segment, int doc) throws IOException {
                return of(segment).explain(segment, doc);
            }

            @Override
            public boolean isCacheable(LeafReaderContext segment) {
                return true; // terms alone, in either case
            }
        };
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
