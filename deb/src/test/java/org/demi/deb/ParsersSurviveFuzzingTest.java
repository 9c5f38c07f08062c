package org.demi.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.release.Release;
import org.demi.deb.sources.SourceEntry;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.version.InvalidVersionException;
import org.demi.deb.version.Version;
import org.junit.jupiter.api.Test;

/**
 * Random, truncated and mutated inputs either parse or fail with {@link DebFormatException};
 * no other exception, and no hang (each run has a deadline).
 */
class ParsersSurviveFuzzingTest {
    private static final String VERSION_ALPHABET = "0123456789abzAZ.+-~:_ \t\u00e9";

    @Test
    void versionParserAndOrder() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(2026);
            Version previous = Version.parse("0");
            int valid = 0;
            for (int i = 0; i < 300_000; i++) {
                int length = random.nextInt(14);
                StringBuilder s = new StringBuilder();
                for (int k = 0; k < length; k++) {
                    s.append(VERSION_ALPHABET.charAt(random.nextInt(VERSION_ALPHABET.length())));
                }
                Version v;
                try {
                    v = random.nextBoolean() ? Version.parse(s.toString()) : Version.parseTolerant(s.toString());
                } catch (InvalidVersionException e) {
                    assertThat(e.getMessage()).startsWith("version '" + s + "' has bad syntax: ");
                    continue;
                }
                valid++;
                int c = v.compareTo(previous);
                assertThat(Integer.signum(previous.compareTo(v))).isEqualTo(-Integer.signum(c));
                if (c == 0) {
                    assertThat(v.hashCode()).as("%s = %s", v, previous).isEqualTo(previous.hashCode());
                }
                assertThat(v.compareTo(v)).isZero();
                previous = v;
            }
            assertThat(valid).isGreaterThan(10_000);
        });
    }

    @Test
    void paragraphReaderAndTypedViewsOnMutatedFixtures() throws IOException {
        byte[][] seeds = {
                Fixtures.plain("hosts/bookworm-minbase/status"),
                Arrays.copyOf(Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz"), 40_000),
                Arrays.copyOf(Fixtures.plain("archive/bookworm-security/main/source/Sources.xz"), 40_000),
                Arrays.copyOf(Fixtures.plain("archive/bookworm-security/Release"), 6_000),
        };
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random random = new Random(7);
            byte[] interesting = {'\n', '\n', ' ', '\t', ':', '#', '(', ')', '-', '~', 0, (byte) 0xc3, (byte) 0xff, '\r'};
            for (int round = 0; round < 3_000; round++) {
                byte[] seed = seeds[round % seeds.length];
                byte[] input = Arrays.copyOf(seed, 1 + random.nextInt(seed.length));
                int mutations = random.nextInt(8);
                for (int m = 0; m < mutations; m++) {
                    int at = random.nextInt(input.length);
                    input[at] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                            : (byte) random.nextInt(256);
                }
                readAndView(input);
            }
            for (int round = 0; round < 2_000; round++) {
                byte[] noise = new byte[random.nextInt(2_000)];
                random.nextBytes(noise);
                readAndView(noise);
                try {
                    OsRelease.parse(noise);
                } catch (DebFormatException expected) {
                    // the project's own error is the only acceptable failure
                }
            }
        });
    }

    private static void readAndView(byte[] input) throws IOException {
        Function<Paragraph, Object>[] views = viewers();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(input), "fuzz")) {
            for (Paragraph p; (p = r.next()) != null; ) {
                for (Function<Paragraph, Object> view : views) {
                    try {
                        view.apply(p);
                    } catch (DebFormatException expected) {
                        // fine
                    }
                }
                for (int i = 0; i < p.size(); i++) {
                    p.value(i);
                    p.name(i);
                }
            }
        } catch (DebFormatException expected) {
            // fine
        }
    }

    @SuppressWarnings("unchecked")
    private static Function<Paragraph, Object>[] viewers() {
        return new Function[]{
                p -> PackageEntry.of((Paragraph) p), p -> SourceEntry.of((Paragraph) p),
                p -> StatusEntry.of((Paragraph) p), p -> Release.of((Paragraph) p),
                p -> ControlFileKind.detect((Paragraph) p)};
    }
}
