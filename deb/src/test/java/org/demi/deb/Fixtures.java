package org.demi.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.demi.deb.compression.Compression;

/** The real Debian files under {@code ../shared/fixtures}, and real Debian tools. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path root() {
        String configured = System.getProperty("demi.fixtures");
        Path p = configured != null ? Path.of(configured) : Path.of("../shared/fixtures");
        if (!Files.isDirectory(p)) {
            p = Path.of("../../shared/fixtures");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures not found at " + p.toAbsolutePath()
                    + " (expected ../shared/fixtures beside the project)");
        }
        return p.normalize();
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** A fixture's bytes, decompressed if it is compressed. */
    public static byte[] plain(String relative) throws IOException {
        try (InputStream in = Compression.open(Files.newInputStream(path(relative))).stream()) {
            return in.readAllBytes();
        }
    }

    /** Every fixture file below {@code dir} whose name matches {@code glob}. */
    public static List<Path> find(String dir, String glob) throws IOException {
        var matcher = root().getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(path(dir))) {
            return s.filter(Files::isRegularFile).filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        }
    }

    /** Runs a command, failing on a non-zero exit; returns its standard output. */
    public static String run(List<String> command, Path workDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new ArrayList<String>();
        Thread errReader = new Thread(() -> {
            try {
                err.add(new String(p.getErrorStream().readAllBytes()));
            } catch (IOException e) {
                err.add(e.toString());
            }
        });
        errReader.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        errReader.join();
        if (p.exitValue() != 0) {
            throw new IOException(command + " exited " + p.exitValue() + ": " + String.join("", err));
        }
        return out;
    }
}
