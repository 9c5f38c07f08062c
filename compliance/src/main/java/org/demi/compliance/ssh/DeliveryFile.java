package org.demi.compliance.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a tree delivered to a host: its path in the host's repository tree
 * ({@code debian-security/dists/bookworm-security/InRelease}), its SHA256 and size as the
 * mirror verified them, and where the server reads its bytes.
 */
public record DeliveryFile(String path, String sha256, long size, Path source) {
    public DeliveryFile {
        Objects.requireNonNull(path);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(source);
    }

    /** Its line in the delivery's MANIFEST. */
    public String line() {
        return sha256 + " " + size + " " + path;
    }
}
