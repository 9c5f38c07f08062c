package org.demi.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.demi.deb.version.InvalidVersionException;
import org.demi.deb.version.Version;
import org.demi.deb.BadInputException;

/**
 * The search syntax of {@code demi search} and the web search box: words separated by blanks,
 * all of which must hold.
 * <pre>
 * host:web1  group:dmz  state:security-update  advisory:DSA-5343-1  cve:CVE-2023-0286
 * package:openssl  package:libssl*             exact, or a prefix with *
 * version:&lt;&lt;3.0.11-1~deb12u2  newest:&gt;=1.2   dpkg's order: &lt;&lt; &lt;= = &gt;= &gt;&gt;
 * security_updates:&gt;0  packages:&lt;=100        numbers
 * last_seen:&lt;2026-12-01  last_seen:2026-12-04T08  a moment or period, in UTC; never
 * type:host  type:advisory                     what to list (default: installed packages)
 * sort:-version  sort:host                     order (- for descending)
 * tls library                                  other words: full text of names and descriptions
 * </pre>
 * The same field given twice means either value ({@code state:update state:security-update}).
 */
public record SearchQuery(String type, Query query, Sort sort, String text) {
    public static SearchQuery parse(String text) {
        return parse(text, "package");
    }

    /** The same, listing {@code defaultType} unless the text says {@code type:}. */
    public static SearchQuery parse(String text, String defaultType) {
        String type = defaultType;
        Map<String, List<Query>> byField = new LinkedHashMap<>();
        List<SortField> sorts = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String token : tokens(text)) {
            int colon = token.indexOf(':');
            if (colon <= 0) {
                words.add(token);
                continue;
            }
            String field = token.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = unquote(token.substring(colon + 1));
            if (value.isEmpty()) {
                throw new BadInputException("'" + token + "' has no value");
            }
            if (field.equals("sort")) {
                boolean reverse = value.startsWith("-");
                // By the field's own name, as a filter is: sort:Version sorted by a field no document has, in no order.
                sorts.add(sortField(Schema.field(reverse ? value.substring(1) : value).word(), reverse));
                continue;
            }
            if (field.equals(Schema.TYPE)) {
                Schema.checkValue(IndexField.TYPE, value, false);
                type = value;
                continue;
            }
            // field:a,b is either value, whatever the field.
            List<Query> either = new ArrayList<>();
            for (String one : token.substring(colon + 1).startsWith("\"") ? List.of(value) : List.of(value.split(",", -1))) {
                if (one.isEmpty()) {
                    throw new BadInputException("'" + token + "' has an empty value between its commas");
                }
                either.add(clause(field, one));
            }
            byField.computeIfAbsent(field, f -> new ArrayList<>()).add(any(either));
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        all.add(typeIs(type), BooleanClause.Occur.FILTER);
        for (Map.Entry<String, List<Query>> f : byField.entrySet()) {
            if (Schema.field(f.getKey()).multiValued()) {
                // group:web group:dmz: a document may have both, and must (a facet link narrows).
                f.getValue().forEach(q -> all.add(q, BooleanClause.Occur.FILTER));
            } else {
                // verdict:compliant verdict:stale: a document has one value, so either.
                all.add(any(f.getValue()), BooleanClause.Occur.FILTER);
            }
        }
        if (!words.isEmpty()) {
            String joined = String.join(" ", words);
            Query full = new QueryBuilder(FullText.ANALYZER).createBooleanQuery(Schema.TEXT, joined, BooleanClause.Occur.MUST);
            if (full == null) {
                // Words the analyser keeps nothing of ("--", "*") would otherwise ask for nothing, and list everything.
                throw new BadInputException("'" + joined + "' has no letter or digit to search for");
            }
            all.add(full, BooleanClause.Occur.MUST);
        }
        if (!sorts.isEmpty() && !type.equals("advisory") && sorts.stream().noneMatch(f -> f.getField().equals(Schema.HOST))) {
            sorts.add(text(Schema.HOST, false));
        }
        Sort sort = sorts.isEmpty() ? defaultSort(type) : new Sort(sorts.toArray(SortField[]::new));
        return new SearchQuery(type, all.build(), sort, text);
    }

    private static Query any(List<Query> alternatives) {
        if (alternatives.size() == 1) {
            return alternatives.get(0);
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        alternatives.forEach(q -> any.add(q, BooleanClause.Occur.SHOULD));
        return any.build();
    }

    /** Fields only installed packages have: on a list of hosts, they ask for hosts with such a package. */
    static final java.util.Set<IndexField> PACKAGE_ONLY = java.util.EnumSet.of(IndexField.PACKAGE, IndexField.ARCH, IndexField.SOURCE,
            IndexField.SOURCE_VERSION, IndexField.VERSION, IndexField.NEWEST, IndexField.SECURITY_VERSION, IndexField.STATE,
            IndexField.CVE, IndexField.ATTENTION, IndexField.SUPPORT_LIMIT);

    /** Fields only a host's CVE documents have: on a list of hosts, they ask for hosts open to such a CVE. */
    static final java.util.Set<IndexField> CVE_ONLY = java.util.EnumSet.of(IndexField.CVE_STATE, IndexField.URGENCY,
            IndexField.SCOPE, IndexField.SINCE, IndexField.FIXED_VERSION);
    /** Fields both installed packages and CVE documents have: with a CVE-only field, they ask about the same CVE. */
    static final java.util.Set<IndexField> CVE_SHARED = java.util.EnumSet.of(IndexField.CVE, IndexField.SOURCE,
            IndexField.SOURCE_VERSION);

    /**
     * A typed query split for a list of hosts: the words about installed packages (package
     * fields, and words searching names and descriptions), the words about a CVE the host is
     * open to (CVE fields; with them, {@code cve:}, {@code source:} and {@code source_version:}
     * are about that same CVE), and the rest, about hosts.
     *
     * @return the package part, the CVE part, then the host part; any may be empty
     */
    public static String[] splitForHosts(String text) {
        List<String> tokens = tokens(text == null ? "" : text);
        boolean cveQuestion = tokens.stream().anyMatch(t -> field(t).map(CVE_ONLY::contains).orElse(false));
        List<String> packages = new ArrayList<>();
        List<String> cves = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String token : tokens) {
            Optional<IndexField> f = field(token);
            if (f.isPresent() && (CVE_ONLY.contains(f.get()) || cveQuestion && CVE_SHARED.contains(f.get()))) {
                cves.add(token);
            } else if (token.indexOf(':') <= 0 || f.map(PACKAGE_ONLY::contains).orElse(false)) {
                packages.add(token);
            } else {
                hosts.add(token);
            }
        }
        return new String[] {String.join(" ", packages), String.join(" ", cves), String.join(" ", hosts)};
    }

    private static Optional<IndexField> field(String token) {
        int colon = token.indexOf(':');
        return colon <= 0 ? Optional.empty() : IndexField.of(token.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    /**
     * The typed query {@code text} narrowed by {@code field:value}, as a facet link narrows: for
     * a field a document holds several values of ({@code group}), the new value must hold too;
     * for a field with one value per document ({@code verdict}), it replaces the field's
     * values in the text, which could not all hold at once.
     */
    public static String narrowed(String text, IndexField field, String value) {
        String word = field.word() + ":" + (value.indexOf(' ') >= 0 || value.indexOf(',') >= 0 ? '"' + value + '"' : value);
        List<String> kept = new ArrayList<>();
        for (String token : tokens(text == null ? "" : text)) {
            int colon = token.indexOf(':');
            boolean sameField = colon > 0 && token.substring(0, colon).equalsIgnoreCase(field.word());
            if (token.equals(word) || sameField && !field.multiValued()) {
                continue;
            }
            kept.add(token);
        }
        kept.add(word);
        return String.join(" ", kept);
    }

    /** A query built by a program rather than typed: of documents of {@code type} ({@code package}, {@code host}, {@code advisory}). */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /**
     * Builds a query from values as they are, with no syntax to escape: a program that lists a
     * host's packages asks for {@code host} equal to the host's name, whatever characters the
     * name holds, and never a prefix. Each call adds a condition that must hold.
     */
    public static final class Builder {
        private final String type;
        private final BooleanQuery.Builder all = new BooleanQuery.Builder();
        private final StringBuilder text = new StringBuilder();

        private Builder(String type) {
            if (!Schema.TYPES.contains(type)) {
                throw new IllegalArgumentException("type is package, host, advisory or cve, not '" + type + "'");
            }
            this.type = type;
            all.add(typeIs(type), BooleanClause.Occur.FILTER);
            text.append("type:").append(type);
        }

        /** {@code field} (a keyword or several-valued field) holds exactly {@code value}. */
        public Builder is(IndexField field, String value) {
            if (field.kind() != IndexField.Kind.KEYWORD && field.kind() != IndexField.Kind.MULTI) {
                throw new IllegalArgumentException(field + " is not a keyword field");
            }
            all.add(new TermQuery(new Term(field.word(), value)), BooleanClause.Occur.FILTER);
            text.append(' ').append(field).append(":\"").append(value).append('"');
            return this;
        }

        /** The field holds one of {@code values} (none: nothing matches). */
        public Builder in(IndexField field, java.util.Collection<String> values) {
            if (field.kind() != IndexField.Kind.KEYWORD && field.kind() != IndexField.Kind.MULTI) {
                throw new IllegalArgumentException(field + " is not a keyword field");
            }
            all.add(new org.apache.lucene.search.TermInSetQuery(field.word(),
                    values.stream().map(BytesRef::new).toList()), BooleanClause.Occur.FILTER);
            text.append(' ').append(field).append(":(").append(values.size()).append(" values)");
            return this;
        }

        public SearchQuery build() {
            return new SearchQuery(type, all.build(), defaultSort(type), text.toString());
        }
    }

    /**
     * The value, when this question asks for exactly {@code builder(type).is(field, value)} and
     * nothing more (a CVE's hosts, a package's hosts, as their pages ask): what a count kept per
     * value of that field answers.
     */
    public java.util.Optional<String> onlyIs(IndexField field) {
        if (query instanceof BooleanQuery b && b.clauses().size() == 2) {
            for (BooleanClause clause : b.clauses()) {
                if (clause.getQuery() instanceof TermQuery t && t.getTerm().field().equals(field.word())
                        && query.equals(builder(type).is(field, t.getTerm().text()).build().query)) {
                    return java.util.Optional.of(t.getTerm().text());
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * This query within what a page fixes (a host's packages, an advisory's hosts): both must
     * hold, so words typed into a page's search box can narrow it but never widen it. The sort
     * is this query's. An empty search box adds nothing: the page's question is then the fixed
     * one itself, so it is one and the same question wherever it is asked (its counts and
     * answers kept once, not once per wording).
     */
    public SearchQuery within(SearchQuery fixed) {
        if (!type.equals(fixed.type)) {
            throw new BadInputException("this list holds " + fixed.type + " documents; type:" + type + " does not apply here");
        }
        if (query.equals(builder(type).build().query)) {
            return new SearchQuery(type, fixed.query, sort, fixed.text);
        }
        BooleanQuery both = new BooleanQuery.Builder()
                .add(fixed.query, BooleanClause.Occur.FILTER)
                .add(query, BooleanClause.Occur.MUST)
                .build();
        return new SearchQuery(type, both, sort, (fixed.text + " " + text).trim());
    }

    /**
     * The order of a list: every sort ends with the host (unless it names it), so that documents
     * equal in what the sort names are in the same order in every back end: by host, then as
     * the host's block holds them. Without it, ties would fall in the order of the index's
     * internal numbers, which differ between Lucene and Solr's shards. (The advisories are
     * one block, in the order they were written.)
     */
    private static Sort defaultSort(String type) {
        return switch (type) {
            case "host" -> new Sort(text("host", false));
            case "advisory" -> new Sort(text("date", true));
            // Worst first: the states' words sort in their order of concern; then by urgency, the oldest exposure first.
            case "cve" -> new Sort(text("cve_state", false), sortField("urgency", false), sortField("since", false), text("host", false));
            default -> new Sort(text("host", false), text("package", false));
        };
    }

    /**
     * A sort on a keyword's doc values. Lucene would by default also skip non-competitive hits
     * through the field's indexed terms, which costs a walk of the terms each time the page's
     * last hit changes: measured on 10,000 hosts' documents, 8 ms instead of 0.4 ms for a source's
     * security updates sorted by package, 80 ms instead of 50 ms for a page 20,000 packages deep.
     */
    static SortField text(String field, boolean reverse) {
        SortField f = new SortField(field, SortField.Type.STRING, reverse);
        f.setOptimizeSortWithIndexedData(false);
        return f;
    }

    private static SortField sortField(String field, boolean reverse) {
        if (field.equals(IndexField.URGENCY.word())) {
            // In the tracker's order of concern (high first), not the words' order.
            return new SortField(Schema.URGENCY_RANK, SortField.Type.INT, reverse);
        }
        SortField f = switch (Schema.kind(field)) {
            case KEYWORD -> text(field, reverse);
            case VERSION -> text(Schema.keyField(field), reverse);
            case NUMBER -> new SortField(field, SortField.Type.INT, reverse);
            case TIME -> new SortField(Schema.timeField(field), SortField.Type.LONG, reverse);
            case MULTI -> throw new BadInputException("cannot sort on " + field + ", which has several values");
            case STORED, STORED_MULTI -> throw new IllegalStateException(field + " is not searchable");
        };
        if (f.getType() == SortField.Type.STRING) {
            f.setMissingValue(reverse ? SortField.STRING_FIRST : SortField.STRING_LAST);
        }
        return f;
    }

    private static Query clause(String field, String value) {
        IndexField f = Schema.field(field);
        return switch (f.kind()) {
            case KEYWORD, MULTI -> {
                boolean prefix = value.endsWith("*") && value.length() > 1;
                String word = prefix ? value.substring(0, value.length() - 1) : value;
                Schema.checkValue(f, word, prefix);
                yield prefix ? new PrefixQuery(new Term(field, word)) : new TermQuery(new Term(field, word));
            }
            case VERSION -> versionRange(field, value);
            case NUMBER -> numberRange(field, value);
            case TIME -> TimeRange.parse(field, value);
            case STORED, STORED_MULTI -> throw new IllegalStateException(field + " is not searchable");
        };
    }

    /** {@code <<V}, {@code <=V}, {@code =V} or {@code V}, {@code >=V}, {@code >>V}: a range of sort keys. */
    static Query versionRange(String field, String value) {
        String op = value.startsWith("<<") || value.startsWith("<=") || value.startsWith(">=") || value.startsWith(">>")
                ? value.substring(0, 2) : value.startsWith("=") ? "=" : "";
        String text = value.substring(op.length());
        BytesRef key;
        try {
            key = new BytesRef(Version.parse(text).sortKey()); // strict, as `version compare`: a query names a version on purpose
        } catch (InvalidVersionException e) {
            throw new BadInputException(field + ": " + e.getMessage());
        }
        String f = Schema.keyField(field);
        if (op.isEmpty() || op.equals("=")) {
            return new TermQuery(new Term(f, key));
        }
        BytesRef lower = op.startsWith(">") ? key : null;
        BytesRef upper = op.startsWith("<") ? key : null;
        boolean inclusive = op.endsWith("=");
        // The terms of a wide range cover millions of documents; when another filter is narrow
        // (package:openssl) Lucene checks the range on the doc values of that filter's hits instead.
        return new org.apache.lucene.search.IndexOrDocValuesQuery(
                new TermRangeQuery(f, lower, upper, lower == null || inclusive, upper == null || inclusive),
                org.apache.lucene.document.SortedDocValuesField.newSlowRangeQuery(f, lower, upper, lower == null || inclusive,
                        upper == null || inclusive));
    }

    /**
     * The documents of a type. Every list filters on its type, whose terms cover millions of
     * documents: beside a narrow filter (a package's name, a CVE's id) Lucene checks the type on
     * that filter's hits' doc values instead of moving through the type's postings, which a
     * profile of a package's page showed costing most of its time.
     */
    static Query typeIs(String type) {
        return termOrDocValue(new TermQuery(new Term(Schema.TYPE, type)));
    }

    /**
     * A keyword's term, found through its postings when it leads a conjunction and checked on
     * each hit's doc value (a keyword's is its term, {@link SortableField}) when another required
     * clause has far fewer hits: Lucene chooses, segment by segment.
     */
    static Query termOrDocValue(TermQuery term) {
        Term t = term.getTerm();
        return new org.apache.lucene.search.IndexOrDocValuesQuery(term,
                org.apache.lucene.document.SortedDocValuesField.newSlowExactQuery(t.field(), t.bytes()));
    }

    /** The comparison a number's or a moment's value starts with: {@code >=}, {@code <=}, {@code >}, {@code <}, {@code =}, or none. */
    static String comparison(String value) {
        return value.startsWith(">=") || value.startsWith("<=") ? value.substring(0, 2)
                : value.startsWith(">") || value.startsWith("<") || value.startsWith("=") ? value.substring(0, 1) : "";
    }

    static Query numberRange(String field, String value) {
        String op = comparison(value);
        int n;
        try {
            n = Integer.parseInt(value.substring(op.length()));
        } catch (NumberFormatException e) {
            throw new BadInputException(field + " wants a number, as in " + field + ":>0, not '" + value + "'");
        }
        return switch (op) {
            case ">" -> IntPoint.newRangeQuery(field, n + 1, Integer.MAX_VALUE);
            case ">=" -> IntPoint.newRangeQuery(field, n, Integer.MAX_VALUE);
            case "<" -> IntPoint.newRangeQuery(field, Integer.MIN_VALUE, n - 1);
            case "<=" -> IntPoint.newRangeQuery(field, Integer.MIN_VALUE, n);
            default -> IntPoint.newExactQuery(field, n);
        };
    }

    /** Blank-separated tokens; a double-quoted stretch keeps its blanks. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new BadInputException("a double quote is not closed");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
