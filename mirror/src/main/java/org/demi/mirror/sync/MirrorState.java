package org.demi.mirror.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.release.ReleaseDate;
import org.demi.deb.io.Durable;

/**
 * The mirror's memory between syncs, as deb822 files under {@code mirror/state/}:
 * {@code <upstream>.last} holds the Date last accepted per suite (the rollback guard; it
 * only moves forward), {@code <upstream>.status} what the last attempt found.
 */
public final class MirrorState {
    private final Path dir;

    public MirrorState(Path dir) {
        this.dir = dir;
    }

    /** Accepted Date per suite. */
    public Map<String, Instant> lastDates(String upstream) throws IOException {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (Paragraph p : read(dir.resolve(upstream + ".last"))) {
            out.put(p.require("Suite"), ReleaseDate.parse(p.require("Date")));
        }
        return out;
    }

    public void saveLastDates(String upstream, Map<String, Instant> dates) throws IOException {
        StringBuilder b = new StringBuilder();
        dates.forEach((suite, date) -> b.append("Suite: ").append(suite).append("\nDate: ")
                .append(ReleaseDate.format(date)).append("\n\n"));
        Durable.write(dir.resolve(upstream + ".last"), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    public List<SuiteStatus> status(String upstream) throws IOException {
        List<SuiteStatus> out = new ArrayList<>();
        for (Paragraph p : read(dir.resolve(upstream + ".status"))) {
            out.add(new SuiteStatus(p.require("Suite"), SyncOutcome.ofWord(p.require("Outcome")), instant(p, "Attempted"),
                    p.get("Error"), instant(p, "Date"), instant(p, "Valid-Until"),
                    p.has("Signed-By") ? List.of(p.get("Signed-By").split(",\\s*")) : List.of(),
                    Integer.parseInt(p.getOrDefault("Index-Files", "0")), Long.parseLong(p.getOrDefault("Index-Bytes", "0")),
                    Integer.parseInt(p.getOrDefault("Pool-Files", "0")), Long.parseLong(p.getOrDefault("Pool-Bytes", "0"))));
        }
        return out;
    }

    public void saveStatus(String upstream, List<SuiteStatus> statuses) throws IOException {
        StringBuilder b = new StringBuilder();
        for (SuiteStatus s : statuses) {
            b.append("Suite: ").append(s.suite()).append('\n');
            b.append("Outcome: ").append(s.outcome().word()).append('\n');
            field(b, "Attempted", s.attempted());
            if (s.error() != null) {
                b.append("Error: ").append(s.error().replace('\n', ' ')).append('\n');
            }
            field(b, "Date", s.date());
            field(b, "Valid-Until", s.validUntil());
            if (!s.signers().isEmpty()) {
                b.append("Signed-By: ").append(String.join(", ", s.signers())).append('\n');
            }
            b.append("Index-Files: ").append(s.indexFiles()).append('\n');
            b.append("Index-Bytes: ").append(s.indexBytes()).append('\n');
            b.append("Pool-Files: ").append(s.poolFiles()).append('\n');
            b.append("Pool-Bytes: ").append(s.poolBytes()).append("\n\n");
        }
        Durable.write(dir.resolve(upstream + ".status"), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void field(StringBuilder b, String name, Instant value) {
        if (value != null) {
            b.append(name).append(": ").append(ReleaseDate.format(value)).append('\n');
        }
    }

    private static Instant instant(Paragraph p, String name) {
        return p.has(name) ? ReleaseDate.parse(p.get(name)) : null;
    }

    private static List<Paragraph> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return ParagraphReader.readAll(new ByteArrayInputStream(Files.readAllBytes(file)), file.toString());
    }
}
