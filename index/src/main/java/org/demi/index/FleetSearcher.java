package org.demi.index;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;

/**
 * The searcher of the fleet's Lucene index: Lucene's, asking a CVE's host CVE documents by the
 * field only they hold ({@link ExposureQuery}) whichever question asks for them. Every search,
 * count and weight goes through {@link #rewrite}, so the questions themselves (and the answers
 * kept under them, and what Solr is sent) stay as they were asked.
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
        return super.rewrite(ExposureQuery.within(original));
    }
}
