package org.demi.compliance.tracker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.demi.deb.BadInputException;
import org.demi.deb.compression.Compression;
import org.demi.deb.version.InvalidVersionException;
import org.demi.deb.version.Version;

/**
 * Reads the security tracker's JSON ({@code /tracker/data/json}): source package → CVE id →
 * {@code description}, {@code scope}, {@code debianbug}, {@code releases} → codename →
 * {@code status}, {@code fixed_version}, {@code urgency}, {@code nodsa}, {@code nodsa_reason},
 * {@code repositories}. Streamed token by token, never held as a tree, and whole or not at
 * all: anything that is not that structure (an HTML page, a truncated file, a version that does
 * not parse, an unknown status) refuses the whole feed with where and why. Plain, gzip, xz or
 * bzip2, recognised by content.
 */
public final class TrackerJson {
    /** Far above the real file (tens of MB) and far below what would exhaust the server. */
    public static final long MAX_BYTES = 512L << 20;
    /** (source, CVE, release) lines; the real file has a few hundred thousand. */
    public static final int MAX_LINES = 2_000_000;

    private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9+.-]{0,99}");
    private static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9]{0,15}-[A-Za-z0-9._-]{1,64}");
    private static final Pattern RELEASE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxStringLength(1 << 20)
                    .maxNumberLength(20)
                    .maxNameLength(1 << 10)
                    .maxDocumentLength(MAX_BYTES)
                    .build())
            .build();

    private final String from;
    private final int maxLines;
    private final Map<String, Version> versions = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private int lines;

    private TrackerJson(String from, int maxLines) {
        this.from = from;
        this.maxLines = maxLines;
    }

    /** Parses the tracker's JSON, compressed or not, from {@code in}, which it closes. */
    public static TrackerData parse(InputStream in, String from) throws IOException {
        return parse(in, from, MAX_LINES);
    }

    static TrackerData parse(InputStream in, String from, int maxLines) throws IOException {
        try (Compression.Opened opened = Compression.open(in)) {
            return new TrackerJson(from, maxLines).read(opened.stream());
        } catch (org.demi.deb.compression.CorruptDataException e) {
            throw new BadInputException(from + ": " + e.getMessage(), e);
        }
    }

    private TrackerData read(InputStream in) throws IOException {
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in, 1 << 16);
        buffered.mark(1024);
        byte[] head = buffered.readNBytes(1024);
        buffered.reset();
        String start = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
        if (start.isEmpty()) {
            throw new BadInputException(from + ": empty, not the tracker's JSON");
        }
        if (start.startsWith("<")) {
            throw new BadInputException(from + ": an HTML or XML page, not the tracker's JSON (a proxy's or a log-in page?)");
        }
        List<CveEntry> entries = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(buffered)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the top level");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String source = name(p, p.currentName(), SOURCE, "source package");
                expect(p, p.nextToken(), JsonToken.START_OBJECT, "source " + source);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String id = p.currentName();
                    if (!ID.matcher(id).matches()) {
                        throw bad(p, "source " + source + ": \"" + shorten(id) + "\" is not a CVE or TEMP id");
                    }
                    entries.add(entry(p, source, id));
                }
                expect(p, p.currentToken(), JsonToken.END_OBJECT, "source " + source);
            }
            expect(p, p.currentToken(), JsonToken.END_OBJECT, "the top level");
            if (p.nextToken() != null) {
                throw bad(p, "more after the end of the top-level object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
            String message = e.getOriginalMessage();
            if (message.startsWith("Unexpected end-of-input")) {
                message = "truncated: the file ends inside the data";
            }
            throw new BadInputException(from + ": not the tracker's JSON" + where + ": " + message, e);
        }
        if (entries.isEmpty()) {
            throw new BadInputException(from + ": no CVE in it");
        }
        return new TrackerData(entries);
    }

    private CveEntry entry(JsonParser p, String source, String id) throws IOException {
        String what = source + " " + id;
        expect(p, p.nextToken(), JsonToken.START_OBJECT, what);
        String description = "";
        String scope = "";
        long bug = 0;
        Map<String, CveRelease> releases = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "description" -> description = text(p, value, what + " description");
                case "scope" -> scope = intern(text(p, value, what + " scope"));
                case "debianbug" -> {
                    expect(p, value, JsonToken.VALUE_NUMBER_INT, what + " debianbug");
                    bug = p.getLongValue();
                }
                case "releases" -> {
                    if (value == JsonToken.START_ARRAY) {
                        // The tracker writes an entry with no release line as an empty list.
                        expect(p, p.nextToken(), JsonToken.END_ARRAY, what + " releases (a list, which must be empty)");
                        continue;
                    }
                    expect(p, value, JsonToken.START_OBJECT, what + " releases");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String release = name(p, p.currentName(), RELEASE, what + " release");
                        releases.put(release, release(p, what + " in " + release, release));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new CveEntry(id, intern(source), description, scope, bug, releases);
    }

    private CveRelease release(JsonParser p, String what, String release) throws IOException {
        if (++lines > maxLines) {
            throw bad(p, "more than " + maxLines + " release lines: not the tracker's JSON, or not this Demi's limits");
        }
        expect(p, p.nextToken(), JsonToken.START_OBJECT, what);
        TrackerStatus status = null;
        String fixed = null;
        String urgency = null;
        String noDsa = "";
        String noDsaReason = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "status" -> {
                    String s = text(p, value, what + " status");
                    status = TrackerStatus.of(s).orElseThrow(() -> bad(p, what + ": unknown status \"" + shorten(s) + "\""));
                }
                case "fixed_version" -> fixed = text(p, value, what + " fixed_version");
                case "urgency" -> urgency = text(p, value, what + " urgency");
                case "nodsa" -> noDsa = text(p, value, what + " nodsa");
                case "nodsa_reason" -> noDsaReason = intern(text(p, value, what + " nodsa_reason"));
                default -> p.skipChildren();
            }
        }
        if (status == null) {
            throw bad(p, what + ": no status");
        }
        boolean nvd = urgency != null && urgency.endsWith("**");
        String u = urgency == null ? "not yet assigned" : nvd ? urgency.substring(0, urgency.length() - 2) : urgency;
        Urgency level = Urgency.of(u).orElseThrow(() -> bad(p, what + ": unknown urgency \"" + shorten(u) + "\""));
        boolean notAffected = status == TrackerStatus.RESOLVED && (fixed == null || fixed.equals("0"));
        Version version = null;
        if (status == TrackerStatus.RESOLVED && !notAffected) {
            version = version(p, fixed, what);
        }
        return new CveRelease(intern(release), status, version, notAffected, level, nvd, noDsa.isEmpty() ? "" : noDsa, noDsaReason);
    }

    private Version version(JsonParser p, String text, String what) {
        Version v = versions.get(text);
        if (v == null) {
            try {
                v = Version.parse(text);
            } catch (InvalidVersionException e) {
                throw bad(p, what + ": fixed_version \"" + shorten(text) + "\": " + e.getMessage());
            }
            versions.put(text, v);
        }
        return v;
    }

    private String name(JsonParser p, String text, Pattern pattern, String what) {
        if (!pattern.matcher(text).matches()) {
            throw bad(p, "\"" + shorten(text) + "\" is not a " + what + " name");
        }
        return intern(text);
    }

    private String intern(String s) {
        return names.computeIfAbsent(s, k -> k);
    }

    private String text(JsonParser p, JsonToken t, String what) throws IOException {
        expect(p, t, JsonToken.VALUE_STRING, what);
        return p.getText();
    }

    private void expect(JsonParser p, JsonToken got, JsonToken want, String what) {
        if (got != want) {
            throw bad(p, what + ": expected " + describe(want) + ", found " + (got == null ? "the end of the file" : describe(got)));
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case END_OBJECT -> "the end of an object";
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private BadInputException bad(JsonParser p, String message) {
        JsonLocation l = p.currentLocation();
        return new BadInputException(from + ": not the tracker's JSON at line " + l.getLineNr() + ", column " + l.getColumnNr()
                + ": " + message);
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
