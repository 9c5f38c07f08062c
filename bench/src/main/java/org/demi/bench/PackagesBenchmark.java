package org.demi.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.demi.deb.compression.Compression;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading Debian's whole bookworm main index (63,440 stanzas, 50 MB uncompressed) into
 * typed {@link PackageEntry} values; the references are libapt's TagFile walking the
 * same plain file and {@code xz -dc} decompressing the same .xz, measured by bench/run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class PackagesBenchmark {
    private byte[] plain;
    private byte[] compressed;

    @Setup(Level.Trial)
    public void load() throws IOException {
        plain = BenchFixtures.plain(BenchFixtures.BOOKWORM_PACKAGES);
        compressed = BenchFixtures.raw(BenchFixtures.BOOKWORM_PACKAGES);
    }

    /** Parse the 50 MB plain index into typed entries (target: at most 2x libapt's TagFile walk). */
    @Benchmark
    public int parsePlainIntoTypedEntries(Blackhole bh) throws IOException {
        return parse(new ByteArrayInputStream(plain), bh);
    }

    /**
     * Decompress the .xz and parse into typed entries, skipping xz's own CRC as the mirror
     * does for indices whose SHA256 it verified (target: at most 1.5x xz -dc).
     */
    @Benchmark
    public int decompressVerifiedXzAndParse(Blackhole bh) throws IOException {
        try (Compression.Opened opened = Compression.open(new ByteArrayInputStream(compressed), false)) {
            return parse(opened.stream(), bh);
        }
    }

    /**
     * The same from the file on disk, as the mirror reads its indices: Debian's index has two
     * xz blocks, decompressed on two threads.
     */
    @Benchmark
    public int decompressXzFileByBlocksAndParse(Blackhole bh) throws IOException {
        try (Compression.Opened opened = Compression.open(BenchFixtures.path(BenchFixtures.BOOKWORM_PACKAGES), false)) {
            return parse(opened.stream(), bh);
        }
    }

    /** The same with xz's CRC64 checked, as for a file of unknown origin. */
    @Benchmark
    public int decompressCheckedXzAndParse(Blackhole bh) throws IOException {
        try (Compression.Opened opened = Compression.open(new ByteArrayInputStream(compressed), true)) {
            return parse(opened.stream(), bh);
        }
    }

    private static int parse(InputStream in, Blackhole bh) throws IOException {
        int n = 0;
        try (ParagraphReader reader = new ParagraphReader(in, "Packages")) {
            for (Paragraph p; (p = reader.next()) != null; ) {
                bh.consume(PackageEntry.of(p));
                n++;
            }
        }
        return n;
    }
}
