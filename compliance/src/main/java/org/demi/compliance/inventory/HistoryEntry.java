package org.demi.compliance.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a host's append-only collection history.
 *
 * @param method   {@code ssh}, {@code push} or {@code local}
 * @param checksum the inventory's checksum, when one was stored or confirmed unchanged
 * @param detail   why it failed, or empty
 */
public record HistoryEntry(Instant time, String method, Optional<String> checksum, Outcome outcome, String detail) {
    public HistoryEntry {
        Objects.requireNonNull(time);
        Objects.requireNonNull(outcome);
        if (!method.matches("[a-z]+")) {
            throw new IllegalArgumentException("not a collection method: " + method);
        }
        checksum.ifPresent(c -> {
            if (!c.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a SHA256: " + c);
            }
        });
        // One line of the log: no tabs or line breaks, and bounded.
        detail = detail.replaceAll("[\\t\\r\\n\\p{Cntrl}]", " ");
        if (detail.length() > 500) {
            detail = detail.substring(0, 500) + "...";
        }
    }

    String line() {
        return time + "\t" + method + "\t" + checksum.orElse("-") + "\t" + outcome.word() + "\t" + detail + "\n";
    }

    /** The entry a line holds, or empty for a line torn by a crash mid-append. */
    static Optional<HistoryEntry> parse(String line) {
        String[] f = line.split("\t", 5);
        if (f.length != 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HistoryEntry(Instant.parse(f[0]), f[1], f[2].equals("-") ? Optional.empty() : Optional.of(f[2]),
                    Outcome.ofWord(f[3]), f[4]));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
