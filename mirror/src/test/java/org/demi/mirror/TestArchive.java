package org.demi.mirror;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.demi.deb.release.ReleaseDate;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.store.Pool;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * A small Debian archive the tests write themselves: {@code pool/} files, one suite with
 * {@code main/binary-amd64/Packages(.xz|.gz)} and {@code main/source/Sources.xz}, a Release
 * listing them (with by-hash copies), signed into InRelease and Release.gpg by a test key.
 */
public final class TestArchive {
    public record Deb(String name, String version, String source, byte[] content) {
        public String filename() {
            return "pool/main/" + source.charAt(0) + "/" + source + "/" + name + "_" + version.replaceFirst("^\\d+:", "")
                    + "_amd64.deb";
        }
    }

    private final Path root;
    private final SigningKey key;
    private final List<Deb> debs = new ArrayList<>();
    public String suite = "stable-security";
    public String codename = "testing-codename";
    public Instant validUntil;
    /** When the signatures are made; the Release's Date unless set. */
    public Instant signedAt;
    /** Rewrites the Packages text before it is compressed and listed (for tampering). */
    public java.util.function.UnaryOperator<String> packagesHook = s -> s;
    /** Rewrites the compressed Packages.xz before it is listed (for tampering). */
    public java.util.function.UnaryOperator<byte[]> xzHook = b -> b;
    /** Rewrites the Release text before it is signed (for tampering). */
    public java.util.function.UnaryOperator<String> releaseHook = s -> s;

    public TestArchive(Path root, SigningKey key) {
        this.root = root;
        this.key = key;
    }

    public Path root() {
        return root;
    }

    public TestArchive add(Deb deb) {
        debs.add(deb);
        return this;
    }

    /** Writes (or rewrites) the whole archive, its Release dated {@code date}. */
    public void write(Instant date) throws IOException {
        StringBuilder packages = new StringBuilder();
        for (Deb d : debs) {
            Path f = root.resolve(d.filename());
            Files.createDirectories(f.getParent());
            Files.write(f, d.content());
            packages.append("Package: ").append(d.name()).append('\n')
                    .append("Source: ").append(d.source()).append('\n')
                    .append("Version: ").append(d.version()).append('\n')
                    .append("Architecture: amd64\n")
                    .append("Maintainer: Demi Tests <tests@example.org>\n")
                    .append("Installed-Size: 1\n")
                    .append("Priority: optional\nSection: misc\n")
                    .append("Filename: ").append(d.filename()).append('\n')
                    .append("Size: ").append(d.content().length).append('\n')
                    .append("SHA256: ").append(Pool.sha256(d.content())).append('\n')
                    .append("Description: test package ").append(d.name()).append("\n\n");
        }
        byte[] plain = packagesHook.apply(packages.toString()).getBytes(StandardCharsets.UTF_8);
        String dist = "dists/" + suite + "/";
        List<String[]> listed = new ArrayList<>();
        put(dist, "main/binary-amd64/Packages", plain, listed);
        put(dist, "main/binary-amd64/Packages.xz", xzHook.apply(xz(plain)), listed);
        put(dist, "main/binary-amd64/Packages.gz", gz(plain), listed);
        byte[] sources = new byte[0];
        put(dist, "main/source/Sources", sources, listed);
        put(dist, "main/source/Sources.xz", xz(sources), listed);
        StringBuilder release = new StringBuilder();
        release.append("Origin: Demi Test\nLabel: Demi Test\nSuite: ").append(suite)
                .append("\nCodename: ").append(codename)
                .append("\nDate: ").append(ReleaseDate.format(date)).append('\n');
        if (validUntil != null) {
            release.append("Valid-Until: ").append(ReleaseDate.format(validUntil)).append('\n');
        }
        release.append("Acquire-By-Hash: yes\nArchitectures: amd64\nComponents: main\nDescription: made by Demi's tests\nSHA256:\n");
        for (String[] l : listed) {
            release.append(' ').append(l[0]).append(' ').append(String.format("%8s", l[1])).append(' ').append(l[2]).append('\n');
        }
        byte[] text = releaseHook.apply(release.toString()).getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve(dist + "Release"), text);
        Instant sigTime = signedAt != null ? signedAt : date;
        Files.write(root.resolve(dist + "Release.gpg"), key.detachSign(text, sigTime));
        Files.write(root.resolve(dist + "InRelease"), key.clearsign(text, sigTime));
    }

    private void put(String dist, String path, byte[] content, List<String[]> listed) throws IOException {
        Path f = root.resolve(dist + path);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        String sha = Pool.sha256(content);
        Path byHash = f.resolveSibling("by-hash/SHA256/" + sha);
        Files.createDirectories(byHash.getParent());
        Files.write(byHash, content);
        listed.add(new String[] {sha, Integer.toString(content.length), path});
    }

    public static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new XZOutputStream(b, new LZMA2Options())) {
            out.write(data);
        }
        return b.toByteArray();
    }

    public static byte[] gz(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(data);
        }
        return b.toByteArray();
    }
}
