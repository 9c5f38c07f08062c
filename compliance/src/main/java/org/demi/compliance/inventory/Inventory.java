package org.demi.compliance.inventory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.demi.deb.osrelease.OsRelease;
import org.demi.deb.status.StatusEntry;

/**
 * What a host reports: its {@code /etc/os-release} and {@code /var/lib/dpkg/status}, read
 * once. Made only by {@link #of}, which parses both and builds the frame and its checksum,
 * so a value that exists is a valid inventory, and the store, the evaluator and the index
 * all consume the same parsed entries without touching the bytes again.
 *
 * <p>Its {@link #checksum()} is the SHA256 of its frame, the same value {@code
 * demi-inventory --checksum} prints on the host, so the server can tell an unchanged host
 * without a transfer. The frame is the uncompressed stream {@code client/demi-inventory}
 * writes:
 * <pre>
 * Demi-Inventory: 1
 * Os-Release-Size: 267
 * Os-Release-SHA256: ...
 * Status-Size: 93012
 * Status-SHA256: ...
 *
 * (os-release bytes)(status bytes)
 * </pre>
 * A host whose demi-inventory is newer adds two parts after the status file, declared in the
 * header the same way: {@code Running} (its kernel, boot time and reboot flag) and, when it has
 * needrestart, {@code Needrestart} (see {@link RunningSystem}). A frame without them is still
 * the same frame, with the same checksum, as before they existed.
 */
public final class Inventory {
    public static final String MAGIC = "Demi-Inventory: 1";

    private final byte[] frame;
    private final String checksum;
    private final OsRelease osRelease;
    private final List<StatusEntry> entries;
    private final Optional<RunningSystem> running;
    /** Where the os-release and the status file start in the frame, and where the status file ends. */
    private final int osReleaseStart;
    private final int statusStart;
    private final int statusEnd;

    private Inventory(byte[] frame, String checksum, OsRelease osRelease, List<StatusEntry> entries, Optional<RunningSystem> running,
            int osReleaseStart, int statusStart, int statusEnd) {
        this.frame = frame;
        this.checksum = checksum;
        this.osRelease = osRelease;
        this.entries = entries;
        this.running = running;
        this.osReleaseStart = osReleaseStart;
        this.statusStart = statusStart;
        this.statusEnd = statusEnd;
    }

    /**
     * Parses a host's two files.
     *
     * @throws InventoryException naming the file and what is wrong with it
     */
    public static Inventory of(byte[] osRelease, byte[] status) throws InventoryException {
        return of(osRelease, status, null, null);
    }

    /**
     * Parses a host's two files and what it says of its running system.
     *
     * @param running     the Running part, or null for a host that sent none
     * @param needrestart the Needrestart part, or null (only with a Running part)
     * @throws InventoryException naming the file or part and what is wrong with it
     */
    public static Inventory of(byte[] osRelease, byte[] status, byte[] running, byte[] needrestart) throws InventoryException {
        return ofHashed(osRelease, sha256(osRelease), status, sha256(status), running, running == null ? null : sha256(running),
                needrestart, needrestart == null ? null : sha256(needrestart));
    }

    /**
     * As {@link #of(byte[], byte[], byte[], byte[])}, with each part's SHA256 already made (a
     * frame's reader checks them against its header): a status file is hashed once for its own
     * SHA256 and once within the frame, not more.
     */
    static Inventory ofHashed(byte[] osRelease, String osSha, byte[] status, String statusSha, byte[] running, String runningSha,
            byte[] needrestart, String needrestartSha) throws InventoryException {
        if (running == null && needrestart != null) {
            throw new InventoryException("a Needrestart part without a Running part");
        }
        Optional<RunningSystem> system = running == null ? Optional.empty() : Optional.of(RunningSystem.parse(running, needrestart));
        OsRelease os;
        List<StatusEntry> entries;
        try {
            os = OsRelease.parse(osRelease);
        } catch (RuntimeException e) {
            throw new InventoryException("os-release: " + e.getMessage(), e);
        }
        try {
            entries = List.copyOf(StatusFile.parse(status, "status"));
        } catch (RuntimeException e) {
            throw new InventoryException(e.getMessage(), e);
        }
        checkPlausible(entries);
        String header = MAGIC + "\n"
                + "Os-Release-Size: " + osRelease.length + "\nOs-Release-SHA256: " + osSha + "\n"
                + "Status-Size: " + status.length + "\nStatus-SHA256: " + statusSha + "\n"
                + (running == null ? "" : "Running-Size: " + running.length + "\nRunning-SHA256: " + runningSha + "\n")
                + (needrestart == null ? "" : "Needrestart-Size: " + needrestart.length + "\nNeedrestart-SHA256: " + needrestartSha + "\n")
                + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(osRelease.length + status.length + header.length());
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(osRelease);
        out.writeBytes(status);
        if (running != null) {
            out.writeBytes(running);
        }
        if (needrestart != null) {
            out.writeBytes(needrestart);
        }
        byte[] frame = out.toByteArray();
        int osStart = header.length();
        return new Inventory(frame, sha256(frame), os, entries, system, osStart, osStart + osRelease.length,
                osStart + osRelease.length + status.length);
    }

    /**
     * What a real dpkg database always is, and a host that wants to look clean might not send:
     * at least one installed package (a Debian system cannot run without some), and one stanza
     * per package and architecture (dpkg keeps exactly one).
     */
    private static void checkPlausible(List<StatusEntry> entries) throws InventoryException {
        if (entries.stream().noneMatch(StatusEntry::isInstalled)) {
            throw new InventoryException("status: no installed package (" + entries.size()
                    + " stanzas); an empty or truncated dpkg status file is refused");
        }
        record PackageArch(String packageName, String architecture) {
        }
        java.util.Set<PackageArch> seen = new java.util.HashSet<>(entries.size() * 2);
        for (StatusEntry e : entries) {
            if (!seen.add(new PackageArch(e.packageName(), e.architecture()))) {
                throw new InventoryException("status: package " + e.packageName()
                        + (e.architecture().isEmpty() ? "" : " (" + e.architecture() + ")")
                        + " appears twice; dpkg keeps one stanza per package and architecture");
            }
        }
    }

    /** The SHA256 of the frame, in hex. */
    public String checksum() {
        return checksum;
    }

    /** The host's os-release, parsed. */
    public OsRelease osRelease() {
        return osRelease;
    }

    /** How many packages the status file says are installed. */
    public int installedCount() {
        return (int) entries.stream().filter(StatusEntry::isInstalled).count();
    }

    /** Every stanza of the host's status file, installed or not, in the file's order. */
    public List<StatusEntry> entries() {
        return entries;
    }

    /** The os-release file as the host sent it. */
    public byte[] osReleaseBytes() {
        return Arrays.copyOfRange(frame, osReleaseStart, statusStart);
    }

    /** The status file as the host sent it. */
    public byte[] statusBytes() {
        return Arrays.copyOfRange(frame, statusStart, statusEnd);
    }

    /** What the host said of its running kernel and processes; empty from a demi-inventory older than that. */
    public Optional<RunningSystem> running() {
        return running;
    }

    /** Writes the frame (as {@code demi-inventory} sends it, uncompressed). */
    public void writeFrame(OutputStream out) throws IOException {
        out.write(frame);
    }

    /** The frame's size in bytes. */
    public int frameSize() {
        return frame.length;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Equal when the frames are: the checksum names the content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Inventory i && i.checksum.equals(checksum);
    }

    @Override
    public int hashCode() {
        return checksum.hashCode();
    }

    @Override
    public String toString() {
        return "Inventory[" + checksum + ", " + osRelease.prettyName() + ", " + entries.size() + " entries]";
    }
}
