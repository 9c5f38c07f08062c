package org.demi.compliance.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery to a host, as its delivery log records it.
 *
 * @param delivered whether the host took it (false: nothing changed on the host; {@code detail} says why)
 * @param files     the files of the tree delivered
 * @param sent      how many of them travelled (the host held the rest)
 * @param bytes     the bytes sent
 * @param packages  the updates whose .deb the tree holds: {@code name:arch version}
 * @param detail    what failed, or what the mirror could not provide; empty when all went
 * @param asked     the packages the host did not have that were asked for ({@code demi deliver --package}),
 *                  as asked: they are asked for again in each delivery until the host has them
 */
public record Delivery(Instant time, boolean delivered, int files, int sent, long bytes, List<String> packages, String detail,
        List<String> asked) {
    public Delivery {
        Objects.requireNonNull(time);
        packages = List.copyOf(packages);
        asked = List.copyOf(asked);
        for (String a : asked) {
            if (!a.matches("[a-z0-9][a-z0-9+.-]*")) {
                throw new IllegalArgumentException("not a package name: " + a);
            }
        }
        for (String p : packages) {
            if (!p.matches("[a-z0-9][a-z0-9+.-]*:[a-z0-9-]+ [A-Za-z0-9.+~:-]+")) {
                throw new IllegalArgumentException("not name:arch version: " + p);
            }
        }
        detail = detail == null ? "" : detail.replaceAll("[\\t\\r\\n\\p{Cntrl}]", " ");
        if (detail.length() > 500) {
            detail = detail.substring(0, 500) + "...";
        }
    }

    String line() {
        return time + "\t" + (delivered ? "delivered" : "failed") + "\t" + files + "\t" + sent + "\t" + bytes + "\t"
                + String.join(",", packages) + "\t" + detail + "\t" + String.join(",", asked) + "\n";
    }

    /** The delivery a line holds, or empty for a line torn by a crash mid-append (lines written before "asked" have 7 fields). */
    static Optional<Delivery> parse(String line) {
        String[] f = line.split("\t", 8);
        if (f.length < 7) {
            return Optional.empty();
        }
        try {
            List<String> packages = f[5].isEmpty() ? List.of() : new ArrayList<>(List.of(f[5].split(",")));
            return Optional.of(new Delivery(Instant.parse(f[0]), f[1].equals("delivered"), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Long.parseLong(f[4]), packages, f[6],
                    f.length < 8 || f[7].isEmpty() ? List.of() : List.of(f[7].split(","))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
