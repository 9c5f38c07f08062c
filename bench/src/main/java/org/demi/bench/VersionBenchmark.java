package org.demi.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.version.Version;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Version comparisons on one core over pairs drawn from the real versions of bookworm main:
 * half random pairs, half pairs of versions of the same package name (which share long
 * prefixes, the hard case). Results are in compares per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class VersionBenchmark {
    static final int PAIRS = 1 << 16;

    private Version[] left;
    private Version[] right;
    private String[] leftText;
    private String[] rightText;

    @Setup(Level.Trial)
    public void load() throws IOException {
        List<String> versions = new ArrayList<>();
        try (ParagraphReader reader = new ParagraphReader(
                new ByteArrayInputStream(BenchFixtures.plain(BenchFixtures.BOOKWORM_PACKAGES)), "Packages")) {
            for (Paragraph p; (p = reader.next()) != null; ) {
                versions.add(p.require("Version"));
            }
        }
        Random random = new Random(42);
        left = new Version[PAIRS];
        right = new Version[PAIRS];
        leftText = new String[PAIRS];
        rightText = new String[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            int a = random.nextInt(versions.size());
            // Neighbours in the index are mostly related packages with similar versions.
            int b = i % 2 == 0 ? random.nextInt(versions.size()) : Math.min(versions.size() - 1, a + 1);
            leftText[i] = versions.get(a);
            rightText[i] = versions.get(b);
            left[i] = Version.parse(leftText[i]);
            right[i] = Version.parse(rightText[i]);
        }
    }

    /** Target: at least 50 million compares a second on one core. */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public int compareParsed() {
        int sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            sum += Integer.signum(left[i].compareTo(right[i]));
        }
        return sum;
    }

    /** Target: at least 10 million parse-both-and-compare a second on one core. */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public int parseAndCompare() {
        int sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            sum += Integer.signum(Version.parse(leftText[i]).compareTo(Version.parse(rightText[i])));
        }
        return sum;
    }
}
