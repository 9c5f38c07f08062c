package org.demi.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TotalHitCountCollector;
import org.apache.lucene.search.Weight;

/**
 * The searcher of the fleet's Lucene index: Lucene's, with questions asked more cheaply
 * wherever they stand in a search. A CVE's host CVE documents are read from the field only they
 * hold ({@link ExposureQuery}); and a type is not checked beside a term of a field that only that
 * type's documents hold ({@link Schema#heldOnlyBy}): each of a package's installed packages had
 * the type's doc value read (2.3 ms to go through the 10,000 of a package at 10,000 hosts, 0.8 ms
 * without). A keyword's term beside other required clauses may be checked on its doc value when
 * another clause has far fewer hits ({@link #keywordsCheckedBeside}). Every search, count and
 * weight goes through {@link #rewrite}, so the questions
 * themselves (and the answers kept under them, and what Solr is sent) stay as they were asked.
 * And a search leaves a segment without a hit before its collector is set up there
 * ({@link #searchLeaf}).
 */
final class FleetSearcher extends IndexSearcher {
    /** What opens one for each reader a refresh brings. */
    static final SearcherFactory FACTORY = new SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
            return new FleetSearcher(reader);
        }
    };

    FleetSearcher(IndexReader reader) {
        super(reader);
    }

    @Override
    public Query rewrite(Query original) throws IOException {
        return super.rewrite(cheaper(original));
    }

    /**
     * Searches one segment: asks the question's scorer first, and leaves a segment without a hit
     * before the collector is set up in it. Lucene sets the collector up first, so that a count
     * can be answered from a segment's statistics without a scorer; that is kept for counts. Any
     * other collector reads its doc values for every segment: the sort's, for a list's first
     * page. A host's documents lie in one segment of the 18 of a 10,000-host index, and setting a
     * top-hits collector up in each of the others made the first page of a host's packages cost
     * 460-535 µs instead of 330-350 µs, of its CVEs 350-480 µs instead of 215-255 µs (probed on a
     * kept FleetLoad index, three runs; a package's hosts, in every segment, cost the same either way).
     */
    @Override
    protected void searchLeaf(LeafReaderContext segment, Weight weight, Collector collector) throws IOException {
        if (collector instanceof TotalHitCountCollector) {
            super.searchLeaf(segment, weight, collector);
            return;
        }
        BulkScorer scorer = weight.bulkScorer(segment);
        if (scorer == null) {
            return;
        }
        LeafCollector leaf;
        try {
            leaf = collector.getLeafCollector(segment);
        } catch (CollectionTerminatedException e) {
            return; // the collector needs nothing of this segment: Lucene's own signal, as in its searchLeaf
        }
        try {
            scorer.score(leaf, segment.reader().getLiveDocs());
        } catch (CollectionTerminatedException e) {
            // the collector has what it needs of this segment: Lucene's own signal, as in its searchLeaf
        }
        leaf.finish();
    }

    /** {@code query} with each conjunction in it, however deep, asked more cheaply; the same documents. */
    static Query cheaper(Query query) {
        if (query instanceof ConstantScoreQuery c) { // how a search that needs no scores asks every question
            Query inner = cheaper(c.getQuery());
            return inner == c.getQuery() ? query : new ConstantScoreQuery(inner);
        }
        if (query instanceof BoostQuery c) {
            Query inner = cheaper(c.getQuery());
            return inner == c.getQuery() ? query : new BoostQuery(inner, c.getBoost());
        }
        if (!(query instanceof BooleanQuery b)) {
            return query;
        }
        List<BooleanClause> clauses = new ArrayList<>(b.clauses().size());
        boolean changed = false;
        for (BooleanClause c : b.clauses()) {
            Query inner = cheaper(c.getQuery());
            changed |= inner != c.getQuery();
            clauses.add(inner == c.getQuery() ? c : new BooleanClause(inner, c.getOccur()));
        }
        if (b.getMinimumNumberShouldMatch() == 0) {
            changed |= typeAnswered(clauses);
            changed |= keywordsCheckedBeside(clauses);
        }
        if (!changed) {
            return query;
        }
        BooleanQuery.Builder out = new BooleanQuery.Builder().setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
        clauses.forEach(out::add);
        return out.build();
    }

    /**
     * Lets each required term of a keyword field in a conjunction of several be checked on the
     * doc value its document holds, where another clause leads with far fewer hits: a source's
     * security updates ({@code source:openssl state:security-update}) went through the postings of
     * every security update in the fleet to find the source's few, decoding a block of them for
     * each hit, which a profile at 10,000 hosts found to be most of that page's time. It is how
     * Lucene's own keyword field asks for a value, and how a question asks for a type
     * ({@link SearchQuery#termOrDocValue}).
     *
     * @return whether it changed {@code clauses}
     */
    private static boolean keywordsCheckedBeside(List<BooleanClause> clauses) {
        if (clauses.stream().filter(BooleanClause::isRequired).count() < 2) {
            return false;
        }
        boolean changed = false;
        for (int i = 0; i < clauses.size(); i++) {
            BooleanClause c = clauses.get(i);
            if (c.isRequired() && c.getQuery() instanceof TermQuery t && keyword(t.getTerm().field())) {
                clauses.set(i, new BooleanClause(SearchQuery.termOrDocValue(t), c.getOccur()));
                changed = true;
            }
        }
        return changed;
    }

    /** Whether a field is one of the index's keywords (a single value, searched and sorted by). */
    private static boolean keyword(String field) {
        return IndexField.of(field).map(f -> f.kind() == IndexField.Kind.KEYWORD).orElse(false);
    }

    /** Each type, by the filter a question asks for it with ({@link SearchQuery#typeIs}). */
    private static final Map<Query, String> TYPE_FILTERS = Schema.TYPES.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(SearchQuery::typeIs, t -> t));

    /**
     * Takes out of a conjunction its filter on a type when another of its required terms already
     * finds documents of that type alone: a {@code cve:} term beside {@code type:cve} becomes an
     * {@link ExposureQuery}; a term of a field only that type holds is left as it is.
     *
     * @return whether it changed {@code clauses}
     */
    private static boolean typeAnswered(List<BooleanClause> clauses) {
        for (int at = 0; at < clauses.size(); at++) {
            String type = clauses.get(at).getOccur() == BooleanClause.Occur.FILTER ? TYPE_FILTERS.get(clauses.get(at).getQuery()) : null;
            if (type == null) {
                continue;
            }
            for (int i = 0; i < clauses.size(); i++) {
                BooleanClause c = clauses.get(i);
                if (i == at || !c.isRequired() || !(c.getQuery() instanceof TermQuery t)) {
                    continue;
                }
                String field = t.getTerm().field();
                if (type.equals("cve") && field.equals(IndexField.CVE.word())) {
                    clauses.set(i, new BooleanClause(new ExposureQuery(t.getTerm().text()), c.getOccur()));
                } else if (!Schema.heldOnlyBy(type, field)) {
                    continue; // other types hold it too: the type is still to check
                }
                clauses.remove(at);
                return true;
            }
        }
        return false;
    }
}
