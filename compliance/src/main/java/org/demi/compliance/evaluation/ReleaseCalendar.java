package org.demi.compliance.evaluation;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.demi.deb.BadInputException;

/**
 * Debian's own dates for its releases, from distro-info-data's {@code debian.csv}
 * ({@code version,codename,series,created,release,eol,eol-lts,eol-elts}): until {@code eol}
 * the security team supports a release, until {@code eol-lts} the LTS team does; what comes
 * after (ELTS) is not Debian's, and its fixes are in no archive Demi mirrors.
 *
 * @param source where the dates were read, for the pages ({@code distro-info-data 0.58+deb12u7})
 */
public record ReleaseCalendar(Map<String, Dates> bySeries, String source) {
    /**
     * One release's dates; a date not yet decided is empty.
     *
     * @param version its number ({@code 12}), as debian-security-support names its lists ({@code .deb12})
     */
    public record Dates(String series, Optional<LocalDate> release, Optional<LocalDate> eol, Optional<LocalDate> eolLts,
            String version) {
    }

    public ReleaseCalendar {
        bySeries = Map.copyOf(bySeries);
    }

    /** No dates: every mirrored release's support is unknown. */
    public static final ReleaseCalendar NONE = new ReleaseCalendar(Map.of(), "");

    /** Reads debian.csv; a line that does not fit the header's columns is bad input naming it. */
    public static ReleaseCalendar parse(byte[] csv, String source) {
        String[] lines = new String(csv, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !lines[0].strip().startsWith("version,codename,series,created,release,eol")) {
            throw new BadInputException(source + ": not distro-info-data's debian.csv (its header is '" + lines[0].strip() + "')");
        }
        Map<String, Dates> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 4) {
                throw new BadInputException(source + ": line " + (i + 1) + ": fewer than 4 columns");
            }
            out.put(f[2], new Dates(f[2], date(f, 4, source, i), date(f, 5, source, i), date(f, 6, source, i), f[0].strip()));
        }
        return new ReleaseCalendar(out, source);
    }

    private static Optional<LocalDate> date(String[] f, int column, String source, int line) {
        if (f.length <= column || f[column].isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(f[column].strip()));
        } catch (DateTimeParseException e) {
            throw new BadInputException(source + ": line " + (line + 1) + ": '" + f[column] + "' is not a date");
        }
    }

    /** The release's number ({@code 12} for bookworm), if the calendar knows the release. */
    public Optional<String> version(String series) {
        return Optional.ofNullable(bySeries.get(series)).map(Dates::version).filter(v -> !v.isEmpty());
    }

    /**
     * Where a mirrored release stands on {@code today}: supported by the security team, by the
     * LTS team, or past both (and {@link ReleaseSupport#MIRRORED} when the calendar does not
     * know it).
     */
    public ReleaseSupport support(String series, LocalDate today) {
        Dates d = bySeries.get(series);
        if (d == null) {
            return ReleaseSupport.MIRRORED;
        }
        if (d.eol().isEmpty() || today.isBefore(d.eol().get())) {
            return ReleaseSupport.SUPPORTED;
        }
        if (d.eolLts().isPresent() && today.isBefore(d.eolLts().get())) {
            return ReleaseSupport.LTS;
        }
        return ReleaseSupport.ENDED;
    }

    /**
     * What {@code today} decides of every release the calendar knows, in a stable order ({@code
     * bookworm SUPPORTED, bullseye LTS, ...}): two days that decide the same judge every host
     * alike, so the next day alone need not judge the fleet again.
     */
    public String standing(LocalDate today) {
        return bySeries.keySet().stream().sorted().map(series -> series + " " + support(series, today))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
