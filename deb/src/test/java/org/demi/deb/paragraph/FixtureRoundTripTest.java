package org.demi.deb.paragraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.demi.deb.ControlFileKind;
import org.demi.deb.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every control file among the fixtures is read and written back byte for byte. */
class FixtureRoundTripTest {

    static List<String> controlFiles() throws IOException {
        List<String> files = new ArrayList<>();
        Path root = Fixtures.root();
        for (Path p : Fixtures.find("archive", "{Packages.xz,Sources.xz,Release}")) {
            files.add(root.relativize(p).toString());
        }
        for (Path p : Fixtures.find("hosts", "status")) {
            files.add(root.relativize(p).toString());
        }
        return files;
    }

    @ParameterizedTest
    @MethodSource("controlFiles")
    void readsAndWritesBackByteForByte(String fixture) throws IOException {
        byte[] original = Fixtures.plain(fixture);
        List<Paragraph> paragraphs = new ArrayList<>();
        List<Problem> problems;
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(original), fixture)) {
            for (Paragraph p; (p = r.next()) != null; ) {
                paragraphs.add(p);
            }
            problems = r.problems();
        }
        assertThat(paragraphs).isNotEmpty();
        assertThat(problems).as("Debian's files are valid UTF-8").isEmpty();
        ControlFileKind kind = ControlFileKind.detect(paragraphs.get(0));
        // Indices and status files end every paragraph with a blank line; Release files do not.
        ParagraphWriter.Style style = kind == ControlFileKind.RELEASE
                ? ParagraphWriter.Style.SEPARATED : ParagraphWriter.Style.TERMINATED;
        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length);
        try (ParagraphWriter w = new ParagraphWriter(out, style)) {
            for (Paragraph p : paragraphs) {
                w.write(p);
            }
        }
        byte[] written = out.toByteArray();
        assertThat(written.length).isEqualTo(original.length);
        assertThat(written).as("byte-for-byte copy of %s", fixture).isEqualTo(original);
        int blankLines = 0;
        for (String line : new String(original).split("\n", -1)) {
            blankLines += line.isEmpty() ? 1 : 0;
        }
        if (style == ParagraphWriter.Style.TERMINATED) {
            assertThat(paragraphs).hasSize(blankLines - 1); // the split yields one empty tail
        }
    }
}
