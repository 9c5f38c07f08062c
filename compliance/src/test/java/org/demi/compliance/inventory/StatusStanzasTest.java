package org.demi.compliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.demi.deb.Fixtures;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.status.StatusEntry;
import org.junit.jupiter.api.Test;

/**
 * A status file read through the stanzas already seen must read exactly as the paragraph
 * reader reads it alone: the same entries, the same errors with the same lines.
 */
class StatusStanzasTest {

    /** The reading before the pool: every paragraph, read and judged in turn. */
    static List<StatusEntry> direct(byte[] bytes) throws IOException {
        List<StatusEntry> out = new ArrayList<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(bytes), "status")) {
            for (Paragraph p; (p = r.next()) != null; ) {
                out.add(StatusEntry.of(p));
            }
        }
        return out;
    }

    static byte[] fixture(String host) throws IOException {
        return Files.readAllBytes(Fixtures.path("hosts/" + host + "/status"));
    }

    @Test
    void realStatusFilesReadAsBeforeAndTheSecondHostSharesTheFirstsEntries() throws IOException {
        StatusStanzas pool = new StatusStanzas(1 << 30);
        for (String host : List.of("bookworm-minbase", "bookworm-dev", "bullseye-minbase", "trixie-minbase")) {
            byte[] status = fixture(host);
            List<StatusEntry> first = pool.parse(status, host);
            assertThat(first).as(host).isEqualTo(direct(status)).isNotEmpty();
            List<StatusEntry> again = pool.parse(status.clone(), host);
            assertThat(again).isEqualTo(first);
            for (int i = 0; i < first.size(); i++) {
                assertThat(again.get(i)).isSameAs(first.get(i));
            }
        }
        // bookworm-dev holds most of bookworm-minbase's stanzas byte for byte: the pool has them once.
        assertThat(pool.size()).isLessThan(direct(fixture("bookworm-dev")).size() + direct(fixture("bullseye-minbase")).size()
                + direct(fixture("trixie-minbase")).size() + direct(fixture("bookworm-minbase")).size());
    }

    @Test
    void aStanzaOneByteAwayIsItsOwn() throws IOException {
        StatusStanzas pool = new StatusStanzas(1 << 30);
        byte[] status = fixture("bookworm-minbase");
        List<StatusEntry> before = pool.parse(status, "a");
        String text = new String(status, StandardCharsets.UTF_8);
        int at = text.indexOf("\nVersion: ") + "\nVersion: ".length();
        // The first package at a higher last digit: same length, same hash neighbourhood, another version.
        int end = text.indexOf('\n', at);
        char last = text.charAt(end - 1);
        byte[] other = (text.substring(0, end - 1) + (char) (Character.isDigit(last) && last != '9' ? last + 1 : '0')
                + text.substring(end)).getBytes(StandardCharsets.UTF_8);
        List<StatusEntry> after = pool.parse(other, "b");
        assertThat(after).isEqualTo(direct(other));
        assertThat(after.get(0).version()).isNotEqualTo(before.get(0).version());
        assertThat(after.subList(1, after.size())).isEqualTo(before.subList(1, before.size()));
    }

    @Test
    void stanzasAreSplitAsTheParagraphReaderSplitsThem() throws IOException {
        // Blank lines of spaces, tabs and CRs; several in a row; at the start; CRLF lines; a
        // continuation line; no newline at the end.
        String text = "\n \t\r\nPackage: aa\r\nStatus: install ok installed\r\nVersion: 1\r\n\r\n\n"
                + "Package: bb\nStatus: install ok installed\nVersion: 2\nDescription: b\n more\n .\n\t\n  \n"
                + "Package: cc\nStatus: deinstall ok config-files\nVersion: 3";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] bounds = StatusStanzas.split(bytes);
        List<Paragraph> paragraphs = ParagraphReader.readAll(new ByteArrayInputStream(bytes), "status");
        assertThat(bounds).hasSize(2 * paragraphs.size());
        assertThat(paragraphs).hasSize(3);
        for (int i = 0; i < paragraphs.size(); i++) {
            assertThat(paragraphs.get(i).readFrom(bytes, bounds[2 * i], bounds[2 * i + 1])).as("stanza %d", i).isTrue();
        }
        StatusStanzas pool = new StatusStanzas(1 << 30);
        assertThat(pool.parse(bytes, "s")).isEqualTo(direct(bytes));
        assertThat(pool.parse(bytes, "s")).isEqualTo(direct(bytes));
        assertThat(pool.size()).isEqualTo(3);
    }

    @Test
    void errorsAreTheReadersWithTheFilesLineAndBadStanzasAreNotKept() throws IOException {
        StatusStanzas pool = new StatusStanzas(1 << 30);
        byte[] good = fixture("bookworm-minbase");
        pool.parse(good, "good");
        int kept = pool.size();
        // Known stanzas, then a stanza whose version is bad: the error names the file's line.
        String text = new String(good, StandardCharsets.UTF_8);
        long lines = text.chars().filter(c -> c == '\n').count();
        byte[] bad = (text + "\nPackage: zz\nStatus: install ok installed\nVersion: 1.0-\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> pool.parse(bad, "bad")).isInstanceOf(ParagraphException.class)
                .hasMessageContaining("bad:" + (lines + 4)).hasMessageContaining("revision number is empty");
        assertThatThrownBy(() -> direct(bad)).hasMessageContaining("status:" + (lines + 4));
        // Known stanzas around a blank line longer than the reader allows: refused as the reader refuses.
        byte[] longBlank = (text + " ".repeat((1 << 20) + 1) + "\n" + text).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> pool.parse(longBlank, "long")).isInstanceOf(ParagraphException.class)
                .hasMessageContaining("line is longer than");
        // A continuation line before any field.
        assertThatThrownBy(() -> pool.parse(" orphan\n".getBytes(StandardCharsets.UTF_8), "orphan"))
                .hasMessageContaining("continuation line outside a field");
        assertThat(pool.size()).isEqualTo(kept);
    }

    @Test
    void pastItsBoundThePoolKeepsNoMoreAndReadsAsBefore() throws IOException {
        byte[] status = fixture("bookworm-minbase");
        StatusStanzas pool = new StatusStanzas(4096);
        assertThat(pool.parse(status, "a")).isEqualTo(direct(status));
        int kept = pool.size();
        assertThat(kept).isPositive().isLessThan(direct(status).size());
        assertThat(pool.parse(fixture("bookworm-dev"), "b")).isEqualTo(direct(fixture("bookworm-dev")));
        assertThat(pool.size()).isEqualTo(kept);
    }

    @Test
    void theNextNewlineIsFoundWhereverItFallsInAWord() {
        java.util.Random random = new java.util.Random(17);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // Newlines, bytes one away from one (0x09, 0x0B) and high bytes, where the word trick could err.
                b[i] = (byte) new int[] {'\n', 0x09, 0x0B, 0x8A, 0xFF, 'a', 0}[random.nextInt(7)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int expected = from;
            while (expected < b.length && b[expected] != '\n') {
                expected++;
            }
            assertThat(StatusStanzas.lineEnd(b, from)).as("%s from %d", java.util.Arrays.toString(b), from).isEqualTo(expected);
        }
    }
}
