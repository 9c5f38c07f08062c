package org.demi.deb.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.demi.deb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Files of several xz blocks, decompressed block by block on two threads, give the same bytes as one stream. */
class XzBlocksTest {
    @TempDir
    Path tmp;

    static byte[] blocks(List<byte[]> parts) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(b, new LZMA2Options())) {
            for (byte[] part : parts) {
                out.write(part);
                out.endBlock();
            }
        }
        return b.toByteArray();
    }

    static byte[] read(Path f, boolean check) throws Exception {
        try (Compression.Opened o = Compression.open(f, check); InputStream in = o.stream()) {
            assertThat(o.compression()).isEqualTo(Compression.XZ);
            return in.readAllBytes();
        }
    }

    @Test
    void debiansRealTwoBlockIndexReadsAsXzDcReadsIt() throws Exception {
        Path f = Fixtures.path("archive/bookworm/main/binary-amd64/Packages.xz");
        byte[] expected = Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz"); // one stream
        try (Compression.Opened o = Compression.open(f, true)) {
            assertThat(o.stream()).isInstanceOf(XzBlocksInputStream.class);
        }
        assertThat(read(f, true)).isEqualTo(expected);
        assertThat(read(f, false)).isEqualTo(expected);
    }

    @Test
    void manyBlocksInOrderAndSingleReads() throws Exception {
        List<byte[]> parts = List.of("first\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII), new byte[0],
                "second\n".repeat(3).getBytes(StandardCharsets.US_ASCII), "third\n".repeat(50_000).getBytes(StandardCharsets.US_ASCII),
                "fourth".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        Path f = tmp.resolve("many.xz");
        Files.write(f, blocks(parts));
        assertThat(read(f, true)).isEqualTo(all.toByteArray());
        try (Compression.Opened o = Compression.open(f, true); InputStream in = o.stream()) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                one.write(c);
            }
            assertThat(one.toByteArray()).isEqualTo(all.toByteArray());
        }
    }

    @Test
    void aDamagedOrTruncatedBlockIsCorruptData() throws Exception {
        byte[] good = blocks(List.of("alpha\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII),
                "beta\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII)));
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x55;
        Path d = tmp.resolve("damaged.xz");
        Files.write(d, damaged);
        assertThatThrownBy(() -> read(d, true)).isInstanceOf(CorruptDataException.class).hasMessageContaining("xz data");
        Path t = tmp.resolve("truncated.xz");
        Files.write(t, Arrays.copyOf(good, good.length - 20));
        assertThatThrownBy(() -> read(t, true)).isInstanceOf(CorruptDataException.class);
    }
}
