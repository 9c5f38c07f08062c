package org.demi.compliance.evaluation;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.demi.deb.BadInputException;

/**
 * The lists of the debian-security-support package: per release number, the source packages
 * whose security support ends before the release's ({@code security-support-ended.debNN}:
 * source pattern, last supported version, date, details), and those whose support is limited
 * ({@code security-support-limited}: source pattern, details). A pattern is a regular expression
 * the whole source name must match ({@code golang.*}), as {@code check-support-status} reads it.
 *
 * @param source where the lists were read, for the pages ({@code debian-security-support 1:12+2026.06.30})
 */
public record SecuritySupport(Map<String, List<Ended>> endedByRelease, List<Limited> limited, String source) {
    public record Ended(Pattern pattern, String version, LocalDate date, String details) {
        /** Whether this end has passed on {@code today} or is still to come. */
        public SupportLimit.Kind kind(LocalDate today) {
            return date.isAfter(today) ? SupportLimit.Kind.ENDING : SupportLimit.Kind.ENDED;
        }
    }

    public record Limited(Pattern pattern, String details) {
    }

    public SecuritySupport {
        endedByRelease = Map.copyOf(endedByRelease);
        limited = List.copyOf(limited);
    }

    public static final SecuritySupport NONE = new SecuritySupport(Map.of(), List.of(), "");

    /**
     * The first limit that applies to {@code source} in the release numbered {@code version}
     * on {@code today}: an end listed for the release (passed or to come), else a limitation.
     */
    public Optional<SupportLimit> limit(String source, Optional<String> version, LocalDate today) {
        if (version.isPresent()) {
            for (Ended e : endedByRelease.getOrDefault(version.get(), List.of())) {
                if (e.pattern().matcher(source).matches()) {
                    return Optional.of(new SupportLimit(e.kind(today), e.version(), Optional.of(e.date()), e.details()));
                }
            }
        }
        for (Limited l : limited) {
            if (l.pattern().matcher(source).matches()) {
                return Optional.of(new SupportLimit(SupportLimit.Kind.LIMITED, "", Optional.empty(), l.details()));
            }
        }
        return Optional.empty();
    }

    /**
     * What {@code today} decides of the ended lists: for each release, in order, whether each
     * listed end has passed ({@code 12: ENDED ENDING ...}). Two days that decide the same give
     * every source the same limit.
     */
    public String standing(LocalDate today) {
        return endedByRelease.keySet().stream().sorted().map(release -> release + ":" + endedByRelease.get(release).stream()
                .map(e -> " " + e.kind(today)).collect(Collectors.joining())).collect(Collectors.joining(", "));
    }

    /** Reads one {@code security-support-ended.debNN} list; a line that does not fit is bad input naming it. */
    public static List<Ended> parseEnded(byte[] text, String file) {
        List<Ended> out = new ArrayList<>();
        forEachLine(text, (l, n) -> {
            String[] f = l.split("\\s+", 4);
            if (f.length < 3) {
                throw new BadInputException(file + ":" + n + ": expected a source, a version and a date");
            }
            try {
                out.add(new Ended(pattern(f[0], file, n), f[1], LocalDate.parse(f[2]), f.length > 3 ? f[3].strip() : ""));
            } catch (DateTimeParseException e) {
                throw new BadInputException(file + ":" + n + ": '" + f[2] + "' is not a date");
            }
        });
        return out;
    }

    /** Reads {@code security-support-limited}. */
    public static List<Limited> parseLimited(byte[] text, String file) {
        List<Limited> out = new ArrayList<>();
        forEachLine(text, (l, n) -> {
            String[] f = l.split("\\s+", 2);
            out.add(new Limited(pattern(f[0], file, n), f.length > 1 ? f[1].strip() : ""));
        });
        return out;
    }

    /** Each line that is neither empty nor a comment, stripped, with its number. */
    private static void forEachLine(byte[] text, java.util.function.ObjIntConsumer<String> action) {
        int n = 0;
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            n++;
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                action.accept(l, n);
            }
        }
    }

    private static Pattern pattern(String text, String file, int line) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new BadInputException(file + ":" + line + ": '" + text + "' is not a source name pattern: " + e.getDescription());
        }
    }
}
