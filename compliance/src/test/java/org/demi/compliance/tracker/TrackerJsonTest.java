package org.demi.compliance.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.demi.deb.BadInputException;
import org.demi.deb.version.Version;
import org.junit.jupiter.api.Test;

/**
 * The tracker's JSON read from the real excerpt, and every kind of feed it must refuse whole,
 * with where and why, without holding what it reads.
 */
class TrackerJsonTest {
    static final Path EXCERPT = Path.of("../../shared/fixtures/tracker/tracker-json-excerpt.json");

    static TrackerData parse(String json) throws IOException {
        return TrackerJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void theRealExcerptReadsAsTheTrackerWroteIt() throws IOException {
        TrackerData d = TrackerJson.parse(Files.newInputStream(EXCERPT), EXCERPT.toString());
        // Six entries over five sources; chromium-browser's CVE-2022-0358 has no release line (an empty list).
        assertThat(d.size()).isEqualTo(6);
        assertThat(d.entries("CVE-2022-0358")).singleElement().satisfies(e -> assertThat(e.releases()).isEmpty());

        // A **: the urgency came from NVD.
        CveRelease high = d.entries("CVE-2008-7220").get(0).release("buster").orElseThrow();
        assertThat(high.urgency()).isEqualTo(Urgency.HIGH);
        assertThat(high.fromNvd()).isTrue();
        assertThat(high.urgencyText()).isEqualTo("high**");
        assertThat(high.fixedVersion()).isEqualTo(Version.parse("1.6.0.2-1"));
        assertThat(d.entries("CVE-2008-7220").get(0).scope()).isEqualTo("remote");
        assertThat(d.entries("CVE-2008-7220").get(0).debianBug()).isEqualTo(555217);

        // fixed_version "0": resolved, never affected, no version to compare.
        CveRelease zero = d.entries("CVE-2007-2383").get(0).release("sid").orElseThrow();
        assertThat(zero.notAffected()).isTrue();
        assertThat(zero.fixedVersion()).isNull();

        // Open in an ended release: no fixed version, urgency end-of-life.
        CveRelease eol = d.items("buster", "chromium").get(0).release();
        assertThat(eol.status()).isEqualTo(TrackerStatus.OPEN);
        assertThat(eol.urgency()).isEqualTo(Urgency.END_OF_LIFE);
        assertThat(eol.fixedVersion()).isNull();
        // "not yet assigned", a bullseye fix with a ~deb11u1 revision.
        CveRelease bullseye = d.items("bullseye", "chromium").get(0).release();
        assertThat(bullseye.urgency()).isEqualTo(Urgency.NOT_YET_ASSIGNED);
        assertThat(bullseye.fixedVersion().toString()).isEqualTo("98.0.4758.80-1~deb11u1");
        // An entry is only found under its own release and source.
        assertThat(d.items("bookworm", "prototypejs")).isEmpty();
        assertThat(d.perRelease()).containsEntry("sid", 5).containsEntry("bookworm", 1);
    }

    @Test
    void noDsaCommentsAndReasonsAreKept() throws IOException {
        // As the live file writes a postponed fix and a plain no-DSA (an empty reason).
        TrackerData d = parse("""
                {"libcaca": {"CVE-2021-30499": {"scope": "local", "releases": {
                  "bookworm": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed",
                               "repositories": {"bookworm": "0.99.beta20-3"}},
                  "bullseye": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": ""},
                  "trixie": {"status": "undetermined", "urgency": "not yet assigned"}}}}}
                """);
        CveRelease bookworm = d.items("bookworm", "libcaca").get(0).release();
        assertThat(bookworm.noDsa()).isEqualTo("Minor issue");
        assertThat(bookworm.noDsaReason()).isEqualTo("postponed");
        assertThat(d.items("bullseye", "libcaca").get(0).release().noDsaReason()).isEmpty();
        assertThat(d.items("trixie", "libcaca").get(0).release().status()).isEqualTo(TrackerStatus.UNDETERMINED);
    }

    @Test
    void compressedCopiesAreRecognisedByContent() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(EXCERPT));
        }
        assertThat(TrackerJson.parse(new ByteArrayInputStream(gz.toByteArray()), "json.txt").size()).isEqualTo(6);
    }

    @Test
    void anHtmlPageIsNamedAsOne() {
        assertThatThrownBy(() -> parse("\n  <!DOCTYPE html><html><body>Sign in</body></html>"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("test.json: an HTML or XML page");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        String whole = Files.readString(EXCERPT);
        assertThatThrownBy(() -> parse(whole.substring(0, whole.length() / 2)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("truncated");
    }

    @Test
    void aVersionThatDoesNotParseRefusesTheFeedNamingIt() {
        assertThatThrownBy(() -> parse("""
                {"openssl": {"CVE-2024-0001": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0:1-1",
                 "urgency": "high"}}}}}"""))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("openssl CVE-2024-0001 in bookworm: fixed_version \"3.0:1-1\"")
                .hasMessageContaining("line 2");
    }

    @Test
    void unknownWordsAndShapesAreRefused() {
        assertThatThrownBy(() -> parse("{\"a\": {\"CVE-2024-1\": {\"releases\": {\"bookworm\": {\"status\": \"fixed\"}}}}}"))
                .hasMessageContaining("unknown status \"fixed\"");
        assertThatThrownBy(() -> parse("{\"a\": {\"CVE-2024-1\": {\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"severe\"}}}}}"))
                .hasMessageContaining("unknown urgency \"severe\"");
        assertThatThrownBy(() -> parse("[1, 2]")).hasMessageContaining("the top level: expected an object, found an array");
        assertThatThrownBy(() -> parse("{\"Not A Package\": {}}")).hasMessageContaining("is not a source package name");
        assertThatThrownBy(() -> parse("{\"a\": {\"<script>\": {}}}")).hasMessageContaining("is not a CVE or TEMP id");
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("no CVE in it");
        assertThatThrownBy(() -> parse("{\"a\": {\"CVE-2024-1\": {\"releases\": {}}}} {}")).hasMessageContaining("more after the end");
    }

    @Test
    void nestingTenThousandDeepIsRefusedWithoutRecursion() {
        String deep = "{\"a\": {\"CVE-2024-1\": {\"x\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}}}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(BadInputException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void aHundredMegabyteStringIsRefusedAtTheFirstMegabyte() {
        // Streamed, never built: the parser stops once the string passes its limit.
        InputStream in = new SequenceStream("{\"a\": {\"CVE-2024-1\": {\"description\": \"", 'x', 100L << 20);
        assertThatThrownBy(() -> TrackerJson.parse(in, "big.json")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("String value length");
    }

    @Test
    void aTwoGigabyteStreamIsCutAtTheDocumentLimit() {
        InputStream in = new SequenceStream("{\"a\": {\"CVE-2024-1\": {\"releases\": {}}, ", ' ', 2L << 30);
        assertThatThrownBy(() -> TrackerJson.parse(in, "huge.json")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("Document length");
    }

    @Test
    void moreLinesThanTheLimitAreRefusedBeforeTheyAreAllHeld() {
        StringBuilder json = new StringBuilder("{\"a\": {");
        for (int i = 0; i < 20; i++) {
            json.append(i == 0 ? "" : ",").append("\"CVE-2024-").append(1000 + i)
                    .append("\": {\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\"}}}");
        }
        json.append("}}");
        assertThatThrownBy(() -> TrackerJson.parse(new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
                "many.json", 10)).hasMessageContaining("more than 10 release lines");
    }

    /** A prefix, then one byte repeated: a feed as large as asked that costs nothing to make. */
    static final class SequenceStream extends InputStream {
        private final byte[] prefix;
        private final int fill;
        private long left;
        private int at;

        SequenceStream(String prefix, char fill, long size) {
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
            this.fill = fill;
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at < prefix.length) {
                int n = Math.min(len, prefix.length - at);
                System.arraycopy(prefix, at, b, off, n);
                at += n;
                return n;
            }
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) fill);
            left -= n;
            return n;
        }
    }
}
