package org.demi.mirror.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.demi.deb.compression.Compression;

/**
 * One {@code Packages} index of a published suite, as the mirror verified it against the
 * suite's signed Release: its component and architecture, and its content, decompressed.
 */
public final class PackagesIndex {
    private final String name;
    private final String component;
    private final String architecture;
    private final Path file;

    PackagesIndex(String name, String component, String architecture, Path file) {
        this.name = name;
        this.component = component;
        this.architecture = architecture;
        this.file = file;
    }

    /** Where it is published, {@code UPSTREAM/dists/SUITE/main/binary-amd64/Packages.xz}: for messages. */
    public String name() {
        return name;
    }

    public String component() {
        return component;
    }

    public String architecture() {
        return architecture;
    }

    /** The index's text, decompressed; the caller closes it. */
    public InputStream open() throws IOException {
        return Compression.open(file, true).stream();
    }

    @Override
    public String toString() {
        return name;
    }
}
