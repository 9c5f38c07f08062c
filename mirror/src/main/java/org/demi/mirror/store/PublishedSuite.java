package org.demi.mirror.store;

import java.util.List;
import java.util.Objects;
import org.demi.deb.release.Release;

/**
 * A suite as the mirror publishes it to apt: the upstream it came from, its signed Release
 * (read from the verified {@code InRelease}, or {@code Release} for a curated suite Demi signed
 * itself), and its verified {@code Packages} indices. This is how the rest of Demi sees the
 * mirror; nothing outside this module reads the published trees.
 *
 * @param upstream the upstream's name, the first part of its path under {@code /debian/}
 * @param suite    the directory under {@code dists/}, as apt asks for it
 * @param notAutomatic the Release says {@code NotAutomatic: yes}: apt does not upgrade to it
 *                 by default (backports, experimental)
 * @param signers  fingerprints of the keys whose good signatures upstream's Release had when it
 *                 was verified; empty for a snapshot older than this record
 */
public record PublishedSuite(String upstream, String suite, Release release, boolean notAutomatic, List<String> signers,
        List<PackagesIndex> packages) {
    public PublishedSuite {
        Objects.requireNonNull(upstream);
        Objects.requireNonNull(suite);
        Objects.requireNonNull(release);
        signers = List.copyOf(signers);
        packages = List.copyOf(packages);
    }

    /** The Release's {@code Codename}, else its {@code Suite}, else the directory's name. */
    public String codename() {
        return !release.codename().isEmpty() ? release.codename() : !release.suite().isEmpty() ? release.suite() : suite;
    }

    /**
     * The release this suite serves updates for: the codename up to its first hyphen, so
     * {@code bookworm-security} and {@code bookworm-updates} belong to {@code bookworm}.
     */
    public String family() {
        String c = codename();
        int hyphen = c.indexOf('-');
        return hyphen > 0 ? c.substring(0, hyphen) : c;
    }

    /** A security suite: its codename ends in {@code -security}, or its Label says Security. */
    public boolean security() {
        return codename().endsWith("-security") || release.label().toLowerCase(java.util.Locale.ROOT).contains("security");
    }
}
