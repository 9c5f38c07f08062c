package org.demi.mirror.source;

import java.util.List;

/**
 * One suite of an upstream and what to take of it.
 *
 * @param binaries whether {@code deb} entries name it (Packages for each architecture)
 * @param sources  whether {@code deb-src} entries name it (Sources)
 */
public record SuiteSpec(String suite, List<String> components, List<String> architectures,
        boolean binaries, boolean sources, SignedBy signedBy) {
    public SuiteSpec {
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
    }
}
