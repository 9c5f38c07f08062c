package org.demi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.demi.deb.compression.Compression;

/** Where the benchmarks find Debian's files: {@code -Ddemi.fixtures}, else {@code ../shared/fixtures}. */
final class BenchFixtures {
    static final String BOOKWORM_PACKAGES = "archive/bookworm/main/binary-amd64/Packages.xz";

    private BenchFixtures() {
    }

    static Path path(String relative) {
        return Path.of(System.getProperty("demi.fixtures", "../shared/fixtures")).resolve(relative);
    }

    static byte[] raw(String relative) throws IOException {
        return Files.readAllBytes(path(relative));
    }

    /** Debian's real bookworm and bookworm-security package indices, as one release's archive. */
    static org.demi.compliance.evaluation.ReleaseArchive bookworm() throws IOException {
        return org.demi.compliance.evaluation.ReleaseArchive.builder("bookworm")
                .addPackages(new java.io.ByteArrayInputStream(plain(BOOKWORM_PACKAGES)), "bookworm", "bookworm", false)
                .addPackages(new java.io.ByteArrayInputStream(plain("archive/bookworm-security/main/binary-amd64/Packages.xz")),
                        "bookworm-security", "bookworm-security", true)
                .build();
    }

    /** The real DSA list. */
    static org.demi.compliance.evaluation.AdvisoryIndex dsa() throws IOException {
        return new org.demi.compliance.evaluation.AdvisoryIndex(
                org.demi.compliance.advisory.AdvisoryList.parse(raw("tracker/DSA-list"), "DSA-list").advisories());
    }

    /** A fixture host's dpkg status ({@code bookworm-dev}, {@code bookworm-minbase}). */
    static java.util.List<org.demi.deb.status.StatusEntry> status(String host) throws IOException {
        return org.demi.compliance.inventory.StatusFile.parse(raw("hosts/" + host + "/status"), host);
    }

    static byte[] plain(String relative) throws IOException {
        try (InputStream in = Compression.open(Files.newInputStream(path(relative))).stream()) {
            return in.readAllBytes();
        }
    }
}
