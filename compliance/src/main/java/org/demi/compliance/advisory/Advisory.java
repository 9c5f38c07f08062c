package org.demi.compliance.advisory;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A Debian Security Advisory (DSA) or Debian LTS Advisory (DLA) as the security tracker's
 * {@code data/DSA/list} and {@code data/DLA/list} record it.
 *
 * @param id     {@code DSA-5343-1}
 * @param source the source package in the heading; the fixes may name others
 */
public record Advisory(String id, LocalDate date, String source, String description, List<String> cves,
        List<ReleaseFix> fixes) {
    public Advisory {
        cves = List.copyOf(cves);
        fixes = List.copyOf(fixes);
    }

    /** The fixes this advisory lists for {@code release} (one per source package it names). */
    public List<ReleaseFix> fixesFor(String release) {
        return fixes.stream().filter(f -> f.release().equals(release)).toList();
    }

    public Optional<ReleaseFix> fixFor(String release, String sourcePackage) {
        return fixes.stream().filter(f -> f.release().equals(release) && f.source().equals(sourcePackage)).findFirst();
    }
}
