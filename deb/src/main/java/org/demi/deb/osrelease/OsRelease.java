package org.demi.deb.osrelease;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.demi.deb.DebFormatException;

/**
 * The contents of {@code /etc/os-release} (os-release(5)): newline-separated
 * {@code KEY=value} assignments in a subset of shell syntax. Values may be unquoted, or in
 * single quotes (taken literally), or in double quotes (where a backslash escapes
 * {@code $ " \ `}); outside quotes a backslash escapes the next character. Blank lines and
 * lines starting with {@code #} are ignored. Nothing is ever expanded or executed.
 *
 * <p>The file comes from managed hosts and is untrusted: its size and its number of
 * assignments are bounded, and every syntax error names the line.
 */
public final class OsRelease {
    /** os-release files are a few hundred bytes; this bounds what a hostile host can send. */
    public static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_FIELDS = 256;

    private final Map<String, String> fields;

    private OsRelease(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    public static OsRelease parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new DebFormatException("os-release is larger than " + MAX_BYTES + " bytes");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    public static OsRelease parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new DebFormatException("os-release is larger than " + MAX_BYTES + " bytes");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw error(n, "expected KEY=value, found '" + line + "'");
            }
            String key = line.substring(0, eq);
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw error(n, "invalid variable name '" + key + "'");
            }
            if (fields.size() == MAX_FIELDS && !fields.containsKey(key)) {
                throw error(n, "more than " + MAX_FIELDS + " assignments");
            }
            fields.put(key, unquote(line.substring(eq + 1), n));
        }
        return new OsRelease(fields);
    }

    private static String unquote(String value, int n) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '\'') {
                int end = value.indexOf('\'', i + 1);
                if (end < 0) {
                    throw error(n, "unterminated single quote");
                }
                out.append(value, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < value.length()) {
                    char d = value.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < value.length() && "$\"\\`".indexOf(value.charAt(i + 1)) >= 0) {
                        out.append(value.charAt(i + 1));
                        i += 2;
                    } else {
                        out.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw error(n, "unterminated double quote");
                }
            } else if (c == '\\') {
                if (i + 1 >= value.length()) {
                    throw error(n, "backslash at the end of the line");
                }
                out.append(value.charAt(i + 1));
                i += 2;
            } else if (c == ' ' || c == '\t') {
                throw error(n, "unquoted blank in value '" + value + "'");
            } else if ("$`;|&<>()".indexOf(c) >= 0) {
                throw error(n, "unquoted shell character '" + c + "' in value '" + value + "'");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static DebFormatException error(int index, String reason) {
        return new DebFormatException("os-release:" + (index + 1) + ": " + reason);
    }

    /** Every assignment, in file order. */
    public Map<String, String> fields() {
        return fields;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** {@code ID}, which defaults to {@code linux} per os-release(5). */
    public String id() {
        return fields.getOrDefault("ID", "linux");
    }

    /** {@code VERSION_CODENAME}, such as {@code bookworm}; absent on some systems. */
    public Optional<String> versionCodename() {
        return get("VERSION_CODENAME").filter(s -> !s.isEmpty());
    }

    /** {@code VERSION_ID}, such as {@code 12}; absent on testing and unstable. */
    public Optional<String> versionId() {
        return get("VERSION_ID").filter(s -> !s.isEmpty());
    }

    /** {@code PRETTY_NAME}, which defaults to {@code Linux} per os-release(5). */
    public String prettyName() {
        return fields.getOrDefault("PRETTY_NAME", "Linux");
    }

    /** Whether this is Debian, or declares itself like Debian ({@code ID_LIKE}). */
    public boolean isDebianLike() {
        return "debian".equals(id()) || get("ID_LIKE").map(l -> (" " + l + " ").contains(" debian ")).orElse(false);
    }
}
