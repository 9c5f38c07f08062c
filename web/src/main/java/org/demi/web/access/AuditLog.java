package org.demi.web.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.demi.deb.BadInputException;

/**
 * The audit log, {@code audit/log} in the data directory: one line of JSON per
 * {@link AuditEvent}, appended and synced before the action is reported done (as the hosts'
 * histories are), never rewritten. The server and the demi command append to it alike; each
 * entry is one write in append mode, so their entries never interleave. Readable by the demi
 * user and group only: it names users and addresses.
 */
public final class AuditLog {
    private final Path file;
    private final java.time.Clock clock;

    public AuditLog(Path dataDir, java.time.Clock clock) {
        this.file = dataDir.resolve("audit").resolve("log");
        this.clock = clock;
    }

    /** Appends an entry of this moment; see {@link AuditEvent} for the fields. */
    public void record(String actor, String from, String action, String subject, String outcome, String detail) throws IOException {
        append(new AuditEvent(clock.instant(), actor, from, action, subject, outcome, detail));
    }

    private synchronized void append(AuditEvent e) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it first: append to theirs
            }
        }
        // A crash mid-append can leave a last line without its newline: the next entry starts a line of its own.
        String line = endsLine() ? e.line() : "\n" + e.line();
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    private boolean endsLine() throws IOException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
            if (c.size() == 0) {
                return true;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            c.read(last, c.size() - 1);
            return last.get(0) == '\n';
        }
    }

    /** Every entry, oldest first (a torn last line, left by a crash mid-append, is skipped). */
    public List<AuditEvent> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AuditEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            AuditEvent.parse(line).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The entries a filter matches, newest first. The filter is words, all of which must match:
     * {@code FIELD:VALUE} (a field of {@link AuditEvent#FIELDS} holding VALUE, ignoring case;
     * {@code time:2026-12} for a month) or a bare word found in any field.
     */
    public List<AuditEvent> find(String filter) throws IOException {
        Predicate<AuditEvent> matches = matcher(filter);
        List<AuditEvent> all = read();
        List<AuditEvent> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (matches.test(all.get(i))) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    static Predicate<AuditEvent> matcher(String filter) {
        Predicate<AuditEvent> all = e -> true;
        if (filter == null || filter.isBlank()) {
            return all;
        }
        for (String word : filter.strip().split("\\s+")) {
            int colon = word.indexOf(':');
            String field = colon > 0 ? word.substring(0, colon).toLowerCase(Locale.ROOT) : null;
            if (field != null && !AuditEvent.FIELDS.contains(field)) {
                // time:2026-12-01T10:00 has colons in its value, not a field before them
                field = null;
            }
            if (field != null && colon == word.length() - 1) {
                throw new BadInputException("'" + word + "' names no value to look for in " + field);
            }
            String f = field;
            String value = (f == null ? word : word.substring(colon + 1)).toLowerCase(Locale.ROOT);
            all = all.and(e -> f == null ? e.fields().values().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(value))
                    : e.fields().get(f).toLowerCase(Locale.ROOT).contains(value));
        }
        return all;
    }
}
