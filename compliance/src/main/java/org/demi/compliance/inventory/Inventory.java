package org.demi.compliance.inventory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a host reports: its {@code /etc/os-release} and {@code /var/lib/dpkg/status}, as
 * bytes. Its {@link #checksum()} is the SHA256 of its {@link #frame() frame}, the same value
 * {@code demi-inventory --checksum} prints on the host, so the server can tell an unchanged
 * host without a transfer.
 */
public record Inventory(byte[] osRelease, byte[] status) {
    public static final String MAGIC = "Demi-Inventory: 1";

    /**
     * The uncompressed stream {@code client/demi-inventory} writes:
     * <pre>
     * Demi-Inventory: 1
     * Os-Release-Size: 267
     * Os-Release-SHA256: ...
     * Status-Size: 93012
     * Status-SHA256: ...
     *
     * (os-release bytes)(status bytes)
     * </pre>
     */
    public byte[] frame() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(osRelease.length + status.length + 256);
        String header = MAGIC + "\n"
                + "Os-Release-Size: " + osRelease.length + "\nOs-Release-SHA256: " + sha256(osRelease) + "\n"
                + "Status-Size: " + status.length + "\nStatus-SHA256: " + sha256(status) + "\n\n";
        try {
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(osRelease);
            out.write(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String checksum() {
        return sha256(frame());
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
