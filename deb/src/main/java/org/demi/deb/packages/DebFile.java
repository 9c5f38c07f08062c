package org.demi.deb.packages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.demi.deb.DebFormatException;
import org.demi.deb.compression.Compression;

/**
 * A binary package file (deb(5)): an ar archive of {@code debian-binary}, {@code control.tar}
 * and {@code data.tar}, each tar compressed or not. Only reads a file the package installs,
 * for data Debian ships in packages (distro-info-data's release dates); nothing is unpacked.
 */
public final class DebFile {
    private DebFile() {
    }

    /**
     * The content of {@code path} ({@code ./usr/share/distro-info/debian.csv}) in the package's
     * data.tar; empty when the package does not hold it.
     *
     * @throws DebFormatException when the file is not a binary package, or the member is larger than {@code maxBytes}
     */
    public static Optional<byte[]> dataFile(Path deb, String path, int maxBytes) throws IOException {
        String wanted = path.startsWith("./") ? path : "./" + path.replaceFirst("^/", "");
        try (InputStream in = Files.newInputStream(deb)) {
            if (!new String(in.readNBytes(8), java.nio.charset.StandardCharsets.US_ASCII).equals("!<arch>\n")) {
                throw new DebFormatException(deb + ": not a binary package (it is no ar archive)");
            }
        }
        try (InputStream in = Files.newInputStream(deb); ArArchiveInputStream ar = new ArArchiveInputStream(in)) {
            ArArchiveEntry member;
            boolean sawVersion = false;
            while ((member = ar.getNextEntry()) != null) {
                if (member.getName().equals("debian-binary")) {
                    sawVersion = true;
                } else if (member.getName().startsWith("data.tar")) {
                    if (!sawVersion) {
                        break;
                    }
                    try (InputStream data = Compression.open(ar).stream(); TarArchiveInputStream tar = new TarArchiveInputStream(data)) {
                        TarArchiveEntry e;
                        while ((e = tar.getNextEntry()) != null) {
                            String name = e.getName().startsWith("./") ? e.getName() : "./" + e.getName();
                            if (name.equals(wanted) && e.isFile()) {
                                if (e.getSize() > maxBytes) {
                                    throw new DebFormatException(deb + ": " + path + " is " + e.getSize() + " bytes, more than "
                                            + maxBytes);
                                }
                                return Optional.of(tar.readNBytes((int) e.getSize()));
                            }
                        }
                    }
                    return Optional.empty();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new DebFormatException(deb + ": not a binary package (" + e.getMessage() + ")");
        }
        throw new DebFormatException(deb + ": not a binary package (no debian-binary and data.tar members)");
    }
}
