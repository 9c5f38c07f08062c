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

    static byte[] plain(String relative) throws IOException {
        try (InputStream in = Compression.open(Files.newInputStream(path(relative))).stream()) {
            return in.readAllBytes();
        }
    }
}
