package org.demi.compliance.inventory;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.demi.deb.osrelease.OsRelease;

/**
 * Reads the gzip-compressed frame a host sends (see {@link Inventory}), as untrusted input:
 * the compressed and the uncompressed size are capped, every size and SHA256 in the header
 * must match what follows, nothing may follow, and both files must parse.
 */
public final class InventoryReader {
    /** Compressed: a 710-package status file is about 0.5 MB, 100 KB compressed. */
    public static final long MAX_COMPRESSED = 32L << 20;
    private static final int MAX_HEADER = 4096;

    private InventoryReader() {
    }

    public static Inventory read(InputStream compressed) throws InventoryException, IOException {
        InputStream capped = new CappedInputStream(compressed, MAX_COMPRESSED, "compressed inventory");
        GZIPInputStream in;
        try {
            in = new GZIPInputStream(capped, 1 << 16);
        } catch (ZipException | EOFException e) {
            throw new InventoryException("not a gzip stream: " + describe(e));
        }
        try {
            Map<String, String> header = readHeader(in);
            if (!Inventory.MAGIC.equals(header.remove("first"))) {
                throw new InventoryException("does not start with '" + Inventory.MAGIC + "'");
            }
            Part os = readPart(in, header, "Os-Release", OsRelease.MAX_BYTES);
            Part status = readPart(in, header, "Status", StatusFile.MAX_BYTES);
            // A newer demi-inventory's parts, each only if its header declares it.
            Part running = header.containsKey("Running-Size") ? readPart(in, header, "Running", RunningSystem.MAX_BYTES) : Part.NONE;
            Part needrestart = header.containsKey("Needrestart-Size") ? readPart(in, header, "Needrestart", RunningSystem.MAX_BYTES)
                    : Part.NONE;
            if (in.read() != -1) {
                throw new InventoryException("data after the " + (needrestart != Part.NONE ? "Needrestart part" : running != Part.NONE
                        ? "Running part" : "status file"));
            }
            return Inventory.ofHashed(os.data(), os.sha256(), status.data(), status.sha256(), running.data(), running.sha256(),
                    needrestart.data(), needrestart.sha256());
        } catch (TooLarge e) {
            throw new InventoryException(e.getMessage());
        } catch (ZipException | EOFException e) {
            throw new InventoryException("corrupt or truncated gzip stream: " + describe(e));
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Map<String, String> readHeader(InputStream in) throws IOException, InventoryException {
        Map<String, String> fields = new LinkedHashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new InventoryException("the header ends before its blank line");
            }
            if (++total > MAX_HEADER) {
                throw new InventoryException("header longer than " + MAX_HEADER + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            line.reset();
            if (text.isEmpty()) {
                return fields;
            }
            if (fields.isEmpty()) {
                fields.put("first", text);
                continue;
            }
            int colon = text.indexOf(": ");
            if (colon <= 0 || fields.put(text.substring(0, colon), text.substring(colon + 2)) != null) {
                throw new InventoryException("bad header line: " + clip(text));
            }
        }
    }

    /** A part of the frame, checked against the SHA256 its header gives; NONE for a part the header does not declare. */
    private record Part(byte[] data, String sha256) {
        static final Part NONE = new Part(null, null);
    }

    private static Part readPart(InputStream in, Map<String, String> header, String name, int max)
            throws IOException, InventoryException {
        String sizeText = header.get(name + "-Size");
        String sha = header.get(name + "-SHA256");
        if (sizeText == null || sha == null) {
            throw new InventoryException("header lacks " + name + "-Size or " + name + "-SHA256");
        }
        long size;
        try {
            size = Long.parseLong(sizeText);
        } catch (NumberFormatException e) {
            throw new InventoryException(name + "-Size is not a number: " + clip(sizeText));
        }
        if (size < 0 || size > max) {
            throw new InventoryException(name + " is " + size + " bytes; at most " + max + " are accepted");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new InventoryException(name + " ends after " + data.length + " of its " + size + " bytes");
        }
        String got = Inventory.sha256(data);
        if (!got.equals(sha)) {
            throw new InventoryException(name + " SHA256 is " + got + ", the header says " + clip(sha));
        }
        return new Part(data, got);
    }

    /** A value from a host, printable and at most 80 characters, for an error message. */
    static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }

    /** Fails once more than {@code max} bytes have been read. */
    static final class CappedInputStream extends java.io.FilterInputStream {
        private final long max;
        private final String what;
        private long count;

        CappedInputStream(InputStream in, long max, String what) {
            super(in);
            this.max = max;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            count += n;
            if (count > max) {
                throw new TooLarge(what + " larger than " + max + " bytes");
            }
        }
    }

    /** Thrown through the stream when a cap is passed. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }
}
