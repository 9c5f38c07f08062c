package org.demi.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.PrefixCodedTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PointRangeQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A {@link SearchQuery} as Solr's JSON Query DSL asks it: the same Lucene queries, built by Solr's
 * own parsers ({@code bool}, {@code term}, {@code terms}, {@code prefix}, {@code lucene} for
 * ranges) from values passed as JSON strings, so nothing typed into a search needs escaping.
 * A field's Solr name is its Lucene name with dots as underscores; a version's sort key, which
 * is bytes, is held in hexadecimal, which keeps its order.
 */
final class SolrQueries {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SolrQueries() {
    }

    /** The Solr name of a Lucene field. */
    static String field(String lucene) {
        return lucene.replace('.', '_');
    }

    /** A term's value as the Solr field holds it: a version's sort key in hexadecimal, other values as text. */
    static String value(String luceneField, BytesRef bytes) {
        return Schema.isKeyField(luceneField) ? hex(bytes) : bytes.utf8ToString();
    }

    /** Bytes in hexadecimal, which sorts as the bytes do. */
    static String hex(BytesRef bytes) {
        return HexFormat.of().formatHex(bytes.bytes, bytes.offset, bytes.offset + bytes.length);
    }

    static JsonNode of(Query q) {
        if (q instanceof BooleanQuery b) {
            ObjectNode bool = JSON.objectNode();
            for (BooleanClause c : b.clauses()) {
                String occur = switch (c.getOccur()) {
                    case MUST -> "must";
                    case FILTER -> "filter";
                    case SHOULD -> "should";
                    case MUST_NOT -> "must_not";
                };
                (bool.has(occur) ? (ArrayNode) bool.get(occur) : bool.putArray(occur)).add(of(c.getQuery()));
            }
            if (b.getMinimumNumberShouldMatch() > 0) {
                bool.put("mm", b.getMinimumNumberShouldMatch());
            }
            return parser("bool", bool);
        }
        if (q instanceof TermQuery t) {
            return leaf("term", t.getTerm());
        }
        if (q instanceof PrefixQuery p) {
            return leaf("prefix", p.getPrefix());
        }
        if (q instanceof TermInSetQuery s) {
            List<String> values = new ArrayList<>();
            PrefixCodedTerms.TermIterator it = s.getTermData().iterator();
            for (BytesRef b = it.next(); b != null; b = it.next()) {
                values.add(value(s.getField(), b));
            }
            ObjectNode terms = JSON.objectNode().put("f", field(s.getField())).put("separator", "\n")
                    .put("query", String.join("\n", values));
            return parser("terms", terms);
        }
        if (q instanceof IndexOrDocValuesQuery either) {
            return of(either.getIndexQuery());
        }
        if (q instanceof TermRangeQuery r) {
            return range(r.getField(), r.getLowerTerm() == null ? null : value(r.getField(), r.getLowerTerm()),
                    r.getUpperTerm() == null ? null : value(r.getField(), r.getUpperTerm()), r.includesLower(), r.includesUpper());
        }
        if (q instanceof PointRangeQuery p && p.getNumDims() == 1 && p.getBytesPerDim() == Integer.BYTES) {
            int lower = IntPoint.decodeDimension(p.getLowerPoint(), 0);
            int upper = IntPoint.decodeDimension(p.getUpperPoint(), 0);
            return range(p.getField(), lower == Integer.MIN_VALUE ? null : Integer.toString(lower),
                    upper == Integer.MAX_VALUE ? null : Integer.toString(upper), true, true);
        }
        if (q instanceof TimeRange t) {
            return range(t.field(), Long.toString(t.lower()), Long.toString(t.upper()), true, true);
        }
        if (q instanceof MatchAllDocsQuery) {
            return parser("lucene", JSON.objectNode().put("query", "*:*"));
        }
        throw new IllegalArgumentException("no Solr form for the query " + q + " (" + q.getClass().getSimpleName() + ")");
    }

    private static JsonNode leaf(String parser, Term t) {
        return parser(parser, JSON.objectNode().put("f", field(t.field())).put("query", value(t.field(), t.bytes())));
    }

    /**
     * A range in the lucene parser's syntax. Its ends are numbers or hexadecimal sort keys,
     * quoted, so no character in them is the syntax's.
     */
    private static JsonNode range(String field, String lower, String upper, boolean includeLower, boolean includeUpper) {
        String text = field(field) + ":" + (includeLower ? "[" : "{") + (lower == null ? "*" : '"' + lower + '"') + " TO "
                + (upper == null ? "*" : '"' + upper + '"') + (includeUpper ? "]" : "}");
        return parser("lucene", JSON.objectNode().put("query", text));
    }

    private static JsonNode parser(String name, ObjectNode params) {
        return JSON.objectNode().set(name, params);
    }

    /** A sort as Solr's {@code sort} parameter says it. */
    static String sort(Sort sort) {
        List<String> parts = new ArrayList<>();
        for (SortField f : sort.getSort()) {
            if (f.getType() != SortField.Type.STRING && f.getType() != SortField.Type.INT && f.getType() != SortField.Type.LONG) {
                throw new IllegalArgumentException("no Solr form for the sort " + f);
            }
            parts.add(field(f.getField()) + (f.getReverse() ? " desc" : " asc"));
        }
        return String.join(",", parts);
    }
}
