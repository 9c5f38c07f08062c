package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import gg.jte.TemplateOutput;
import gg.jte.output.Utf8ByteOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A page's bytes are exactly what jte's own UTF-8 output makes of the same writes. */
class PageBytesTest {
    @Test
    void theSameWritesMakeTheSameBytesAsJtesOwnOutput() {
        // ASCII, two-byte (é), three-byte (€) and four-byte characters (a surrogate pair), a range
        // that starts or ends beside them, fixed text as bytes, and the empty string.
        List<Consumer<TemplateOutput>> writes = List.of(
                o -> o.writeContent("<td class=\"col-host\">"),
                o -> o.writeContent("hé€\uD83D\uDE00 tail"),
                o -> o.writeContent("abc\uD83D\uDE00é", 1, 6),
                o -> o.writeContent("plain", 2, 4),
                o -> o.writeContent(""),
                o -> o.writeBinaryContent("</td>\n".getBytes(StandardCharsets.UTF_8)),
                o -> o.writeBinaryContent(new byte[0]));
        Utf8ByteOutput jte = new Utf8ByteOutput();
        PageBytes ours = new PageBytes(16); // small, so that it grows several times
        for (int round = 0; round < 50; round++) {
            for (Consumer<TemplateOutput> w : writes) {
                w.accept(jte);
                w.accept(ours);
            }
        }
        byte[] expected = jte.toByteArray();
        assertThat(bytes(ours.buffer())).isEqualTo(expected);
        assertThat(new String(expected, StandardCharsets.UTF_8)).contains("hé€\uD83D\uDE00 tail", "bc\uD83D\uDE00é");
    }

    @Test
    void oneWriteLargerThanTwiceTheRoomLeftFits() {
        PageBytes ours = new PageBytes(16);
        String big = "x".repeat(1000) + "é";
        ours.writeContent("<p>");
        ours.writeContent(big);
        ours.writeBinaryContent(new byte[5000]);
        byte[] out = bytes(ours.buffer());
        assertThat(out).hasSize(3 + 1002 + 5000);
        assertThat(new String(out, 0, 1005, StandardCharsets.UTF_8)).isEqualTo("<p>" + big);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
