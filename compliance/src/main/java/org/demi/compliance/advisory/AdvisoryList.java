package org.demi.compliance.advisory;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.deb.version.InvalidVersionException;
import org.demi.deb.version.Version;
import org.demi.deb.BadInputException;

/**
 * The security tracker's advisory lists ({@code data/DSA/list}, {@code data/DLA/list}):
 * <pre>
 * [29 Mar 2023] DSA-5380-1 xorg-server - security update
 * 	{CVE-2023-1393}
 * 	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 * 	[buster] - foo &lt;not-affected&gt; (Vulnerable code not present)
 * 	NOTE: free text
 * </pre>
 * A line that fits none of these is reported with its number and skipped; the rest of the
 * list still counts, as the tracker's own tools do with its hand-edited files.
 */
public final class AdvisoryList {
    /** Larger than any list the tracker has published (DSA's is about 1 MB), small enough to hold. */
    public static final int MAX_BYTES = 64 << 20;

    private static final Pattern HEADING = Pattern.compile(
            "\\[(\\d{1,2} [A-Za-z]{3} \\d{4})\\]\\s+((?:DSA|DLA|DTSA)-\\d+(?:-\\d+)?)\\s+(.*)");
    private static final Pattern CVES = Pattern.compile("\\{([^{}]*)\\}");
    private static final Pattern FIX = Pattern.compile(
            "\\[([a-z][a-z0-9-]*)\\]\\s+-\\s+([a-z0-9][a-z0-9+.-]*)\\s+(?:<([a-z-]+)>(?:\\s+\\((.*)\\))?|(\\S+)(?:\\s+\\((.*)\\))?)");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    /** A line that could not be read: {@code name:line: message}. */
    public record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private final List<Advisory> advisories;
    private final List<Problem> problems;

    private AdvisoryList(List<Advisory> advisories, List<Problem> problems) {
        this.advisories = List.copyOf(advisories);
        this.problems = List.copyOf(problems);
    }

    public List<Advisory> advisories() {
        return advisories;
    }

    public List<Problem> problems() {
        return problems;
    }

    public static AdvisoryList parse(byte[] bytes, String name) {
        if (bytes.length > MAX_BYTES) {
            throw new BadInputException(name + ": " + bytes.length + " bytes, more than the " + MAX_BYTES
                    + " an advisory list may have");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), name);
    }

    public static AdvisoryList parse(String text, String name) {
        List<Advisory> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Open open = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            String body = line.strip();
            if (!indented) {
                if (open != null) {
                    out.add(open.build());
                    open = null;
                }
                Matcher m = HEADING.matcher(body);
                if (!m.matches()) {
                    problems.add(new Problem(name, no, "not an advisory heading: " + clip(body)));
                    continue;
                }
                LocalDate date;
                try {
                    date = LocalDate.parse(m.group(1), DATE);
                } catch (DateTimeParseException e) {
                    problems.add(new Problem(name, no, "not a date: " + m.group(1)));
                    continue;
                }
                // "source - description"; a few old ones name two sources, or are notices without " - ".
                String rest = m.group(3).strip();
                int dash = rest.indexOf(" - ");
                String names = dash < 0 ? rest : rest.substring(0, dash).strip();
                String source = names.isEmpty() ? "" : names.split("\\s+")[0];
                open = new Open(m.group(2), date, source, dash < 0 ? rest : rest.substring(dash + 3).strip());
                continue;
            }
            if (open == null) {
                problems.add(new Problem(name, no, "an indented line outside any advisory: " + clip(body)));
                continue;
            }
            if (body.startsWith("NOTE:")) {
                continue;
            }
            Matcher cves = CVES.matcher(body);
            if (cves.matches()) {
                Arrays.stream(cves.group(1).trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(open.cves::add);
                continue;
            }
            Matcher fix = FIX.matcher(body);
            if (!fix.matches()) {
                problems.add(new Problem(name, no, open.id + ": not a {CVE} list, fix or NOTE: " + clip(body)));
                continue;
            }
            String release = fix.group(1);
            String source = fix.group(2);
            if (fix.group(3) != null) {
                FixKind kind = FixKind.ofMarker(fix.group(3));
                if (kind == null) {
                    problems.add(new Problem(name, no, open.id + ": unknown marker <" + fix.group(3) + ">"));
                    continue;
                }
                open.fixes.add(new ReleaseFix(release, source, kind, null, fix.group(4)));
            } else {
                try {
                    open.fixes.add(new ReleaseFix(release, source, FixKind.FIXED, Version.parse(fix.group(5)), fix.group(6)));
                } catch (InvalidVersionException e) {
                    problems.add(new Problem(name, no, open.id + ": " + source + ": " + e.getMessage()));
                }
            }
        }
        if (open != null) {
            out.add(open.build());
        }
        return new AdvisoryList(out, problems);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static final class Open {
        final String id;
        final LocalDate date;
        final String source;
        final String description;
        final List<String> cves = new ArrayList<>();
        final List<ReleaseFix> fixes = new ArrayList<>();

        Open(String id, LocalDate date, String source, String description) {
            this.id = id;
            this.date = date;
            this.source = source;
            this.description = description;
        }

        Advisory build() {
            return new Advisory(id, date, source, description, cves, fixes);
        }
    }
}
