package org.demi.compliance.ssh;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The server's side of {@code demi-client receive}, over any pair of streams:
 * <ol>
 * <li>the host: {@code Demi-Receive: 2}, then {@code Holds: SHA256 COUNT}, the SHA256 of the
 * MANIFEST of its tree in force;</li>
 * <li>the server: {@code unchanged} when that is the MANIFEST it would send, which ends the
 * delivery; otherwise {@code list};</li>
 * <li>the host: the lines of its MANIFEST ({@code SHA256 SIZE PATH}), then {@code .};</li>
 * <li>the server: one ustar archive, the new MANIFEST first, then each file whose bytes the host
 * holds under no name, once;</li>
 * <li>the host: what it did, and its exit status (read by the caller).</li>
 * </ol>
 * An unchanged delivery thus costs two short lines each way.
 */
final class ReceiveExchange {
    static final String HELLO = "Demi-Receive: 2";

    private ReceiveExchange() {
    }

    /**
     * Runs the exchange; the host's exit status is left to the caller.
     *
     * @param errText what the host has said on standard error so far, for error messages
     */
    static SshCollector.Delivered run(InputStream fromHost, OutputStream toHost, List<DeliveryFile> tree, Supplier<String> errText)
            throws IOException {
        CountingInput in = new CountingInput(fromHost);
        CountingOutput out = new CountingOutput(toHost);
        String first = line(in);
        if (!HELLO.equals(first)) {
            throw new IOException("the host did not answer as this server's demi-client receive does (" + HELLO + ")"
                    + (first == null ? "" : ": " + SshCollector.printable(first)) + errText.get());
        }
        String holds = line(in);
        if (holds == null || !holds.matches("Holds: [0-9a-f]{64} \\d+")) {
            throw new IOException("the host did not say what it holds" + errText.get());
        }
        byte[] manifest = manifest(tree);
        if (holds.substring(7, 71).equals(sha256(manifest))) {
            out.write("unchanged\n".getBytes(StandardCharsets.US_ASCII));
            out.close();
            return new SshCollector.Delivered(tree.size(), 0, in.count + out.count, answer(in));
        }
        out.write("list\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Set<String> held = new HashSet<>();
        for (String l; !".".equals(l = line(in)); ) {
            if (l == null) {
                throw new IOException("the host's list of what it holds ended early" + errText.get());
            }
            if (l.indexOf(' ') == 64) {
                held.add(l.substring(0, 64));
            }
        }
        int sent = 0;
        Set<String> inThis = new HashSet<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            put(tar, "MANIFEST", manifest.length);
            tar.write(manifest);
            tar.closeArchiveEntry();
            for (DeliveryFile f : tree) {
                if (held.contains(f.sha256()) || !inThis.add(f.sha256())) {
                    continue; // the host takes it from its tree, or from this delivery under another name
                }
                put(tar, f.path(), f.size());
                try (InputStream src = Files.newInputStream(f.source())) {
                    long copied = src.transferTo(tar);
                    if (copied != f.size()) {
                        throw new IOException(f.source() + " holds " + copied + " bytes, not " + f.size());
                    }
                }
                tar.closeArchiveEntry();
                sent++;
            }
        } // closing the archive closes the host's input: it sees the end
        return new SshCollector.Delivered(tree.size(), sent, in.count + out.count, answer(in));
    }

    static byte[] manifest(List<DeliveryFile> tree) {
        StringBuilder m = new StringBuilder();
        tree.forEach(f -> m.append(f.line()).append('\n'));
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void put(TarArchiveOutputStream tar, String name, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        tar.putArchiveEntry(e);
    }

    /** The host's last lines, on one line. */
    private static String answer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        for (String l; (l = line(in)) != null; ) {
            answer.append(l).append(' ');
        }
        return SshCollector.printable(answer.toString().strip());
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** One line of the host's answer (at most 4 KiB), or null at its end. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8);
            }
            if (b.size() >= 4096) {
                throw new IOException("the host sent a line longer than 4 KiB");
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** Counts what the host sends. */
    private static final class CountingInput extends FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Counts what passes to the host. */
    private static final class CountingOutput extends FilterOutputStream {
        long count;

        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
