package org.demi.deb.release;

import java.util.regex.Pattern;
import org.demi.deb.DebFormatException;

/**
 * One file a Release (or a Sources entry) vouches for: its path, size and SHA256.
 *
 * @param path   relative to the directory of the Release file ({@code main/binary-amd64/Packages.xz})
 * @param size   in bytes
 * @param sha256 lower-case hexadecimal
 */
public record ReleaseFile(String path, long size, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ReleaseFile {
        if (!SHA256.matcher(sha256).matches()) {
            throw new DebFormatException("'" + sha256 + "' is not a SHA256 (64 lower-case hex digits)");
        }
        if (size < 0) {
            throw new DebFormatException("negative size " + size + " for '" + path + "'");
        }
        checkPath(path);
    }

    /**
     * Refuses paths that could leave the archive's directory: absolute ones, and any
     * with an empty, {@code .} or {@code ..} component or a backslash or control character.
     */
    static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/")) {
            throw new DebFormatException("unsafe path '" + path + "'");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new DebFormatException("unsafe path '" + path + "'");
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new DebFormatException("unsafe path '" + path + "'");
            }
        }
    }

    /**
     * Parses a checksum line {@code "<sha256> <size> <path>"} as found in the SHA256 field of
     * Release files and the Checksums-Sha256 field of Sources entries.
     */
    public static ReleaseFile parseLine(String line) {
        String[] parts = line.strip().split("[ \t]+");
        if (parts.length != 3) {
            throw new DebFormatException("expected '<sha256> <size> <name>', found '" + line.strip() + "'");
        }
        long size;
        try {
            size = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw new DebFormatException("size '" + parts[1] + "' is not a number in '" + line.strip() + "'");
        }
        return new ReleaseFile(parts[2], size, parts[0]);
    }
}
