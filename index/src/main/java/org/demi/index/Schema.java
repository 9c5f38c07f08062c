package org.demi.index;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.PackageState;
import org.demi.compliance.evaluation.ReleaseSupport;
import org.demi.compliance.evaluation.SupportLimit;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.tracker.Urgency;
import org.demi.deb.BadInputException;

/**
 * What the index does with its {@link IndexField}s beyond their kinds, in one place read by the
 * document builder, the query parser and the searcher: which are counted as facets (and for
 * which listings), and the hidden fields (the owner of a document, its full text, a version's
 * sort key, a facet's own field).
 */
final class Schema {
    static final String TYPE = IndexField.TYPE.word();
    static final String HOST = IndexField.HOST.word();
    static final String OWNER = "owner";
    /**
     * A host document's own key (its owner's value; the host's other documents have none): what
     * Lucene changes a field in place by, and Solr's unique key.
     */
    static final String ID = "id";
    /**
     * The full text ({@link FullText}). Named anew when it came to hold terms alone: Lucene
     * refuses a document whose field is indexed otherwise than the same field in the documents
     * already there, and an index written before still holds "text" with positions until the
     * start that follows the upgrade writes every host again.
     */
    static final String TEXT = "words";
    /** The urgency's rank in the order of concern (0 high), to sort by. */
    static final String URGENCY_RANK = "urgency.rank";

    /** The fields whose values can be counted; each has a facet field of its own. */
    static final Set<String> FACETS = words(IndexField.GROUP, IndexField.RELEASE, IndexField.VERDICT, IndexField.STATE,
            IndexField.ARCH, IndexField.ADVISORY, IndexField.HOST, IndexField.SOURCE, IndexField.FIXED_IN, IndexField.CVE,
            IndexField.CVE_STATE, IndexField.URGENCY, IndexField.SCOPE);

    /** Which of them a search counts, by what it lists: only these are read for its hits. */
    static final Map<String, java.util.List<String>> FACETS_BY_TYPE = Map.of(
            "package", java.util.List.of("state", "release", "arch", "group", "advisory", "host"),
            "host", java.util.List.of("verdict", "release", "group", "advisory"),
            "advisory", java.util.List.of("source", "fixed_in"),
            "cve", java.util.List.of("cve_state", "urgency", "scope", "release", "source", "group", "cve", "host"));

    /**
     * The several-valued fields that a listing's documents each hold once: a host's CVE document
     * names its one CVE, where an installed package or an advisory names several.
     */
    private static final Map<String, Set<String>> ONCE_BY_TYPE = Map.of("cve", Set.of(IndexField.CVE.word()));

    /** What the index's documents are: each has one of these types. */
    static final java.util.List<String> TYPES = java.util.List.of("package", "host", "advisory", "cve");

    /**
     * The keyword fields whose every value is a word Demi chooses, with those words: a value
     * outside them can only be mistyped ({@code state:updates}), so it is refused with the words
     * there are, rather than answered with an empty list. ({@code scope} is not among them: it
     * holds what the tracker writes.)
     */
    private static final Map<IndexField, java.util.List<String>> VOCABULARIES = Map.of(
            IndexField.TYPE, TYPES,
            IndexField.STATE, vocabulary(PackageState.values(), PackageState::word),
            IndexField.VERDICT, vocabulary(Verdict.values(), Verdict::word),
            IndexField.SUPPORT, vocabulary(ReleaseSupport.values(), ReleaseSupport::word),
            IndexField.SUPPORT_LIMIT, vocabulary(SupportLimit.Kind.values(), SupportLimit.Kind::word),
            IndexField.CVE_STATE, vocabulary(CveState.values(), CveState::word),
            IndexField.URGENCY, vocabulary(Urgency.values(), Urgency::term),
            IndexField.REBOOT_REQUIRED, java.util.List.of("yes", "no"));

    private static <T> java.util.List<String> vocabulary(T[] values, java.util.function.Function<T, String> word) {
        return java.util.Arrays.stream(values).map(word).toList();
    }

    /**
     * Refuses {@code word} for {@code field} (as a {@code prefix} of values, when so) when the
     * field's values are Demi's own words and none of them is, or begins with, it.
     */
    static void checkValue(IndexField field, String word, boolean prefix) {
        java.util.List<String> words = VOCABULARIES.get(field);
        if (words != null && (prefix ? words.stream().noneMatch(w -> w.startsWith(word)) : !words.contains(word))) {
            String listed = String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
            throw new BadInputException(field + " is " + listed + ", not '" + word + (prefix ? "*" : "") + "'");
        }
    }

    /**
     * The fields that only one type's documents hold: a term of one of them finds documents of that
     * type alone, so a question that also asks for the type need not check it. (A host's CVE
     * documents share {@code cve} and {@code source} with installed packages and advisories.)
     */
    private static final Map<String, Set<String>> HELD_ONLY_BY = Map.of(
            "package", words(IndexField.PACKAGE, IndexField.ARCH, IndexField.STATE));

    /** Whether only documents of {@code type} hold {@code field}. */
    static boolean heldOnlyBy(String type, String field) {
        return HELD_ONLY_BY.getOrDefault(type, Set.of()).contains(field);
    }

    /** Whether every document of this type holds at most one value of {@code field}. */
    static boolean heldOnce(String type, String field) {
        return IndexField.of(field).map(f -> !f.multiValued()).orElse(false)
                || ONCE_BY_TYPE.getOrDefault(type, Set.of()).contains(field);
    }

    static String facetField(String dim) {
        String known = FACET_FIELDS.get(dim);
        return known != null ? known : FACET + dim;
    }

    private static final String FACET = "$facet.";
    /** The facet fields' names, made once, as {@link #KEY_FIELDS} are. */
    private static final Map<String, String> FACET_FIELDS = FACETS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(d -> d, d -> FACET + d));

    /** A value as a facet field's doc value holds it: the dimension's path to it, escaped as Lucene's facet module does. */
    static org.apache.lucene.util.BytesRef facetPath(String dim, String value) {
        return new org.apache.lucene.util.BytesRef(org.apache.lucene.facet.FacetsConfig.pathToString(dim, new String[] {value}));
    }

    /** The value a facet field's doc value holds (it is stored as the dimension's path to it). */
    static String facetValue(org.apache.lucene.util.BytesRef stored) {
        String[] path = org.apache.lucene.facet.FacetsConfig.stringToPath(stored.utf8ToString());
        return path[path.length - 1];
    }

    private Schema() {
    }

    /** The searchable field of this name, or bad input naming the fields there are. */
    static IndexField field(String name) {
        return IndexField.of(name.toLowerCase(Locale.ROOT)).filter(IndexField::searchable).orElseThrow(() -> new BadInputException(
                "unknown field '" + name + "' (fields: " + String.join(", ", new java.util.TreeSet<>(java.util.Arrays.stream(
                        IndexField.values()).filter(IndexField::searchable).map(IndexField::word).toList())) + ")"));
    }

    static IndexField.Kind kind(String name) {
        return field(name).kind();
    }

    private static Set<String> words(IndexField... fields) {
        return java.util.Arrays.stream(fields).map(IndexField::word).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static final String KEY = ".key";
    private static final String TIME = ".time";
    /**
     * The hidden fields' names, made once: every package document names four version keys, and
     * a name made anew each time is hashed anew by the index writer and the document digest.
     */
    private static final Map<String, String> KEY_FIELDS = hidden(KEY);
    private static final Map<String, String> TIME_FIELDS = hidden(TIME);

    private static Map<String, String> hidden(String suffix) {
        return java.util.Arrays.stream(IndexField.values()).collect(java.util.stream.Collectors.toUnmodifiableMap(IndexField::word,
                f -> f.word() + suffix));
    }

    /** {@link #KEY_FIELDS}' names by field, found without hashing its word. */
    private static final String[] KEY_FIELD_OF = java.util.Arrays.stream(IndexField.values()).map(f -> KEY_FIELDS.get(f.word()))
            .toArray(String[]::new);

    /** The hidden field that holds a version's sort key. */
    static String keyField(IndexField field) {
        return KEY_FIELD_OF[field.ordinal()];
    }

    /** The hidden field that holds a version's sort key. */
    static String keyField(String field) {
        String known = KEY_FIELDS.get(field);
        return known != null ? known : field + KEY;
    }

    /** The hidden field that holds a {@link IndexField.Kind#TIME} field's moment, in milliseconds since the epoch. */
    static String timeField(String field) {
        String known = TIME_FIELDS.get(field);
        return known != null ? known : field + TIME;
    }

    /** A time field's moment as the index holds it: milliseconds since the epoch, {@link Long#MIN_VALUE} for never. */
    static long millis(java.util.Optional<java.time.Instant> when) {
        return when.map(java.time.Instant::toEpochMilli).orElse(Long.MIN_VALUE);
    }

    /** A time field's moment as rows show it: ISO 8601, empty for never. */
    static String timeText(long millis) {
        return millis == Long.MIN_VALUE ? "" : java.time.Instant.ofEpochMilli(millis).toString();
    }

    /** Whether {@code field} holds a version's sort key (bytes, not text). */
    static boolean isKeyField(String field) {
        return field.endsWith(KEY);
    }
}
