package org.demi.deb.paragraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParagraphReaderTest {

    static List<Paragraph> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    }

    static List<Paragraph> read(byte[] bytes, Limits limits) throws IOException {
        List<Paragraph> all = new ArrayList<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(bytes), "test", limits)) {
            for (Paragraph p; (p = r.next()) != null; ) {
                all.add(p);
            }
        }
        return all;
    }

    @Test
    void readsFieldsContinuationsAndSeparators() throws IOException {
        List<Paragraph> ps = read("\n\nPackage: foo\nDescription: short\n long line\n .\n more\n"
                + "Version:1.0  \n\n \t\nPackage: bar\r\nSHA256:\n abc 1 x\n def 2 y\n");
        assertThat(ps).hasSize(2);
        Paragraph foo = ps.get(0);
        assertThat(foo.size()).isEqualTo(3);
        assertThat(foo.line()).isEqualTo(3);
        assertThat(foo.get("package")).isEqualTo("foo");
        assertThat(foo.get("DESCRIPTION")).isEqualTo("short\n long line\n .\n more");
        assertThat(foo.get("Version")).isEqualTo("1.0");
        assertThat(foo.rawValue(2)).isEqualTo("1.0  ");
        assertThat(foo.name(1)).isEqualTo("Description");
        assertThat(foo.line(2)).isEqualTo(8);
        assertThat(foo.get("Missing")).isNull();
        Paragraph bar = ps.get(1);
        assertThat(bar.line()).isEqualTo(11);
        assertThat(bar.get("Package")).isEqualTo("bar");
        assertThat(bar.get("SHA256")).isEqualTo("\n abc 1 x\n def 2 y");
        assertThat(bar.lines("sha256")).containsExactly("abc 1 x", "def 2 y");
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws IOException {
        assertThat(read("A: 1\nB: 2").get(0).get("B")).isEqualTo("2");
        assertThat(read("")).isEmpty();
        assertThat(read("\n\n  \n")).isEmpty();
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> read("A: 1\n\n continued\n"))
                .isInstanceOf(ParagraphException.class)
                .hasMessage("test:3: continuation line outside a field");
        assertThatThrownBy(() -> read("A: 1\nno colon here\n"))
                .hasMessage("test:2: expected a field ('Name: value'), found 'no colon here'");
        assertThatThrownBy(() -> read("A: 1\nB: 2\na: 3\n"))
                .hasMessage("test:3: duplicate field 'a' (first on line 1)");
        assertThatThrownBy(() -> read("A: 1\n: empty name\n"))
                .hasMessage("test:2: invalid field name ''");
        assertThatThrownBy(() -> read("#A: 1\n"))
                .hasMessage("test:1: comment lines are not allowed in this kind of file");
        assertThatThrownBy(() -> read("Bad Name: 1\n"))
                .hasMessageStartingWith("test:1: expected a field");
        assertThatThrownBy(() -> read("A: 1\n\u0001B: 2\n"))
                .hasMessage("test:2: expected a field ('Name: value'), found '\\x01B: 2'");
    }

    @Test
    void commentsAreSkippedOnlyWhenAllowed() throws IOException {
        String text = "# leading comment\nTypes: deb\n# inside\nURIs: http://example.invalid/\n  # not a comment\n";
        List<Paragraph> ps = read(text.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT.withComments());
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).fields()).extracting(Field::name).containsExactly("Types", "URIs");
        assertThat(ps.get(0).get("URIs")).isEqualTo("http://example.invalid/\n  # not a comment");
        assertThat(ps.get(0).line(1)).isEqualTo(4);
        assertThatThrownBy(() -> read(text)).hasMessage("test:1: comment lines are not allowed in this kind of file");
    }

    @Test
    void limitsAreEnforcedWithTheLine() {
        Limits small = new Limits(32, 3, 64, false);
        assertThatThrownBy(() -> read(("A: 1\nB: " + "x".repeat(40) + "\n").getBytes(StandardCharsets.UTF_8), small))
                .isInstanceOf(ParagraphException.class)
                .hasMessage("test:2: line is longer than 32 bytes");
        assertThatThrownBy(() -> read("A: 1\nB: 2\nC: 3\nD: 4\n".getBytes(StandardCharsets.UTF_8), small))
                .hasMessage("test:4: paragraph has more than 3 fields");
        assertThatThrownBy(() -> read(("A: 1\n" + " continued line\n".repeat(5)).getBytes(StandardCharsets.UTF_8),
                small)).hasMessageContaining("is larger than 64 bytes");
    }

    @Test
    void endlessLineWithoutNewlineStopsAtTheLimit() {
        // A hostile stream of 100 MB without a newline must fail fast, not fill memory.
        var endless = new java.io.InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served += len;
                return len;
            }
        };
        try (ParagraphReader r = new ParagraphReader(endless, "endless")) {
            assertThatThrownBy(r::next).hasMessage("endless:1: line is longer than 1048576 bytes");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(endless.served).isLessThan(4L << 20);
    }

    @Test
    void invalidUtf8IsReportedNotFatal() throws IOException {
        byte[] valid = "A: caf\u00e9\nB: bad ".getBytes(StandardCharsets.UTF_8);
        byte[] invalid = {(byte) 0xff, (byte) 0xfe};
        byte[] rest = " here\nC: ok\n".getBytes(StandardCharsets.UTF_8);
        byte[] fixed = new byte[valid.length + invalid.length + rest.length];
        System.arraycopy(valid, 0, fixed, 0, valid.length);
        System.arraycopy(invalid, 0, fixed, valid.length, invalid.length);
        System.arraycopy(rest, 0, fixed, valid.length + invalid.length, rest.length);
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(fixed), "latin1")) {
            Paragraph p = r.next();
            assertThat(p.get("A")).isEqualTo("café");
            assertThat(p.get("B")).isEqualTo("bad \ufffd\ufffd here");
            assertThat(p.get("C")).isEqualTo("ok");
            assertThat(r.problems()).containsExactly(new Problem("latin1", 2, "invalid UTF-8 at byte 8 of the line"));
        }
    }

    @Test
    void aReaderRefusesToContinueAfterAnError() throws IOException {
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream("x\n\nA: 1\n".getBytes()), "t")) {
            assertThatThrownBy(r::next).isInstanceOf(ParagraphException.class);
            assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void paragraphsSpanningManyBufferRefillsKeepTheirFields() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("Package: p").append(i).append("\nDescription: d").append(i).append("\n ")
                    .append("y".repeat(1 + i % 300)).append("\n\n");
        }
        List<Paragraph> ps = read(text.toString());
        assertThat(ps).hasSize(20_000);
        for (int i = 0; i < 20_000; i += 997) {
            assertThat(ps.get(i).get("Package")).isEqualTo("p" + i);
            assertThat(ps.get(i).get("Description")).isEqualTo("d" + i + "\n " + "y".repeat(1 + i % 300));
            assertThat(ps.get(i).line()).isEqualTo(1 + 4L * i);
        }
    }

    @Test
    void builderWritesCanonicalFieldsAndRefusesBadOnes() {
        Paragraph p = Paragraph.builder().add("Package", "foo").add("SHA256", "\n abc 1 x")
                .add("Description", "short\n long\n .\n end").build();
        assertThat(p).hasToString("Package: foo\nSHA256:\n abc 1 x\nDescription: short\n long\n .\n end\n");
        assertThat(p.get("sha256")).isEqualTo("\n abc 1 x");
        assertThatThrownBy(() -> Paragraph.builder().add("A", "x").add("a", "y"))
                .hasMessageContaining("duplicate field 'a'");
        assertThatThrownBy(() -> Paragraph.builder().add("A", "x\nnot indented"))
                .hasMessageContaining("must start with a blank");
        assertThatThrownBy(() -> Paragraph.builder().add("A", "x\n \nnext"))
                .hasMessageContaining("must start with a blank");
        assertThatThrownBy(() -> Paragraph.builder().add("A B", "x")).hasMessageContaining("invalid field name");
    }
}
