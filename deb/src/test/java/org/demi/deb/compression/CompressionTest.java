package org.demi.deb.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.demi.deb.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class CompressionTest {
    static final byte[] TEXT = "Package: foo\nVersion: 1.0\n\n".repeat(5000).getBytes(StandardCharsets.UTF_8);

    static byte[] compress(Compression c, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (c) {
            case NONE -> bytes;
            case GZIP -> new GZIPOutputStream(bytes);
            case XZ -> new XZOutputStream(bytes, new LZMA2Options());
            case BZIP2 -> new BZip2CompressorOutputStream(bytes);
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void recognisedByContentAndDecompressed(Compression c) throws IOException {
        for (boolean check : new boolean[]{true, false}) {
            try (Compression.Opened opened = Compression.open(new ByteArrayInputStream(compress(c, TEXT)), check)) {
                assertThat(opened.compression()).isEqualTo(c);
                assertThat(opened.stream().readAllBytes()).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void fixtureIndicesAreXz() throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(
                Fixtures.path("archive/trixie-security/main/binary-amd64/Packages.xz"));
             Compression.Opened opened = Compression.open(in)) {
            assertThat(opened.compression()).isEqualTo(Compression.XZ);
            assertThat(opened.stream().readAllBytes()).hasSize(2_234_121);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "XZ", "BZIP2"})
    void truncatedInputIsAnErrorNotAShortFile(Compression c) throws IOException {
        byte[] full = compress(c, TEXT);
        byte[] truncated = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> {
            try (Compression.Opened opened = Compression.open(new ByteArrayInputStream(truncated))) {
                opened.stream().readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void truncationIsReportedAsCorruptDataThroughTheReadAheadThread() throws IOException {
        byte[] full = compress(Compression.XZ, TEXT);
        byte[] truncated = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> {
            try (Compression.Opened opened = Compression.open(new ByteArrayInputStream(truncated))) {
                opened.stream().readAllBytes();
            }
        }).isInstanceOf(CorruptDataException.class).hasMessage("xz data ends early (truncated file)");
    }

    @Test
    void corruptedXzIsCaughtByItsCheckWhenChecked() throws IOException {
        byte[] xz = compress(Compression.XZ, TEXT);
        byte[] corrupt = xz.clone();
        corrupt[corrupt.length - 20] ^= 0x55; // inside the index/footer area or check
        assertThatThrownBy(() -> {
            try (Compression.Opened opened = Compression.open(new ByteArrayInputStream(corrupt), true)) {
                opened.stream().readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }
}
