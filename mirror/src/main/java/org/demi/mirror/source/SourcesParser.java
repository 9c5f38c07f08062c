package org.demi.mirror.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.demi.deb.DebFormatException;
import org.demi.deb.paragraph.Limits;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.BadInputException;

/**
 * Reads apt's two source syntaxes (sources.list(5)): one-line {@code sources.list} entries
 * and deb822 {@code .sources} stanzas. Besides apt's fields, Demi reads its own {@code Pool}
 * ({@code all | on-demand | none}) and {@code Publish} ({@code verbatim | curated}), given in
 * one-line entries as the options {@code pool=} and {@code publish=}.
 */
public final class SourcesParser {
    private SourcesParser() {
    }

    /** Parses a one-line {@code sources.list}; a bad line is an error naming it. */
    public static List<AptSource> parseList(String text, String file) {
        return parseList(text, file, null);
    }

    /**
     * Parses a one-line {@code sources.list}; when {@code skipped} is given, a line Demi
     * cannot use is reported to it and skipped instead of failing the whole file.
     */
    public static List<AptSource> parseList(String text, String file, java.util.function.Consumer<String> skipped) {
        List<AptSource> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String origin = file + " line " + (i + 1);
            try {
                out.add(parseLine(line, origin));
            } catch (BadInputException e) {
                if (skipped == null) {
                    throw e;
                }
                skipped.accept(e.getMessage());
            }
        }
        return out;
    }

    private static AptSource parseLine(String line, String origin) {
        String type;
        int sp = line.indexOf(' ');
        if (sp < 0) {
            throw new BadInputException(origin + ": expected 'deb [options] URI suite components'");
        }
        type = line.substring(0, sp);
        if (!type.equals("deb") && !type.equals("deb-src")) {
            throw new BadInputException(origin + ": type '" + type + "' is not deb or deb-src");
        }
        String rest = line.substring(sp).strip();
        List<String> arch = List.of();
        SignedBy signedBy = SignedBy.DEFAULT;
        PoolPolicy pool = PoolPolicy.ON_DEMAND;
        PublishMode publish = PublishMode.VERBATIM;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new BadInputException(origin + ": '[' of the options is not closed");
            }
            for (String option : rest.substring(1, close).strip().split("\\s+")) {
                if (option.isEmpty()) {
                    continue;
                }
                int eq = option.indexOf('=');
                if (eq < 0) {
                    throw new BadInputException(origin + ": option '" + option + "' is not name=value");
                }
                String name = option.substring(0, eq);
                String value = option.substring(eq + 1);
                try {
                    switch (name) {
                        case "arch" -> arch = Arrays.asList(value.split(","));
                        case "signed-by" -> signedBy = SignedBy.parse(value);
                        case "pool" -> pool = PoolPolicy.parse(value);
                        case "publish" -> publish = PublishMode.parse(value);
                        default -> {
                            // apt's other options (lang=, target=, trusted=...) do not change what is mirrored;
                            // trusted=yes would turn verification off, which Demi never does.
                            if (name.equals("trusted")) {
                                throw new BadInputException("'trusted' is refused: Demi verifies every source");
                            }
                        }
                    }
                } catch (BadInputException e) {
                    throw new BadInputException(origin + ": " + e.getMessage(), e);
                }
            }
            rest = rest.substring(close + 1).strip();
        }
        String[] words = rest.split("\\s+");
        if (words.length < 2) {
            throw new BadInputException(origin + ": expected a URI and a suite");
        }
        return new AptSource(List.of(type), uri(words[0], origin), List.of(words[1]),
                List.of(words).subList(2, words.length), arch, signedBy, pool, publish, origin);
    }

    /** Parses a deb822 {@code .sources} file; a stanza with {@code Enabled: no} is skipped. */
    public static List<AptSource> parseSources(String text, String file) {
        List<AptSource> out = new ArrayList<>();
        try (ParagraphReader reader = new ParagraphReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file, Limits.DEFAULT.withComments())) {
            Paragraph p;
            while ((p = reader.next()) != null) {
                String origin = file + " line " + p.line();
                if ("no".equalsIgnoreCase(p.getOrDefault("Enabled", "yes").strip())) {
                    continue;
                }
                try {
                    List<String> types = words(p.require("Types"));
                    for (String t : types) {
                        if (!t.equals("deb") && !t.equals("deb-src")) {
                            throw new BadInputException("type '" + t + "' is not deb or deb-src");
                        }
                    }
                    SignedBy signedBy = p.has("Signed-By") ? SignedBy.parse(p.get("Signed-By")) : SignedBy.DEFAULT;
                    PoolPolicy pool = PoolPolicy.parse(p.getOrDefault("Pool", "on-demand"));
                    PublishMode publish = PublishMode.parse(p.getOrDefault("Publish", "verbatim"));
                    if (p.has("Trusted")) {
                        throw new BadInputException("'Trusted' is refused: Demi verifies every source");
                    }
                    for (String u : words(p.require("URIs"))) {
                        out.add(new AptSource(types, uri(u, origin), words(p.require("Suites")),
                                words(p.getOrDefault("Components", "")), words(p.getOrDefault("Architectures", "")),
                                signedBy, pool, publish, origin));
                    }
                } catch (DebFormatException | IllegalArgumentException e) {
                    throw new BadInputException(origin + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static URI uri(String s, String origin) {
        try {
            URI u = new URI(s.endsWith("/") ? s : s + "/");
            if (u.getScheme() == null) {
                throw new BadInputException(origin + ": '" + s + "' is not an absolute URI");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new BadInputException(origin + ": '" + s + "' is not a URI: " + e.getReason(), e);
        }
    }
}
