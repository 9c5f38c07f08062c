package org.demi.index;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A three-node SolrCloud on loopback for this test JVM: the solr-cluster module's program, run
 * once as a process of its own (Solr's Jetty 10 cannot share this class path), and shut down
 * when the JVM ends, its nodes' and ZooKeeper's files (about 70 MB a run) removed with it. Its
 * output goes to {@code target/solr-cluster.log}.
 */
public final class SolrTestCluster {
    private static SolrTestCluster running;

    private final Process process;
    private final Path dir;
    private final BufferedReader out;
    private final PrintWriter in;
    /** The ZooKeeper address and chroot: {@code 127.0.0.1:PORT/solr}. */
    public final String zk;

    private SolrTestCluster(Process process, Path dir, BufferedReader out, PrintWriter in, String zk) {
        this.process = process;
        this.dir = dir;
        this.out = out;
        this.in = in;
        this.zk = zk;
    }

    public static synchronized SolrTestCluster get() throws IOException {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::quit));
        }
        return running;
    }

    private static SolrTestCluster start() throws IOException {
        // Tests run in their module's directory, beside solr-cluster.
        Path module = Path.of("..", "solr-cluster", "target");
        Path classPath = module.resolve("solr-cluster.classpath");
        if (!Files.exists(classPath)) {
            throw new IllegalStateException(classPath + " is missing: build the solr-cluster module first (mvn -pl solr-cluster compile)");
        }
        Path dir = Files.createTempDirectory("solr-cluster");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx1g", "-Dsolr.log.dir=" + dir, "-cp",
                module.resolve("classes") + File.pathSeparator + Files.readString(classPath).trim(),
                "org.demi.solrcluster.SolrCluster", "3", dir.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "solr-cluster.log").toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        String zk = null;
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("zk ")) {
                zk = line.substring(3);
            } else if (line.equals("ready")) {
                return new SolrTestCluster(p, dir, out, in, zk);
            } else if (line.startsWith("error ")) {
                break;
            }
        }
        p.destroyForcibly();
        remove(dir);
        throw new IOException("the SolrCloud for the tests did not start; see target/solr-cluster.log");
    }

    /** A collection of its own for a test class, emptied. */
    public FleetIndex collection(String name) throws IOException {
        FleetIndex index = FleetIndex.solr(zk, name, "tests");
        index.clear();
        index.refresh();
        return index;
    }

    /** Stops node {@code i} (0, 1, 2), or starts it again on its port. */
    public void stop(int i) throws IOException {
        command("stop " + i, "stopped " + i);
    }

    public void start(int i) throws IOException {
        command("start " + i, "started " + i);
    }

    private synchronized void command(String command, String done) throws IOException {
        in.println(command);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals(done)) {
                return;
            }
            if (line.startsWith("error ")) {
                throw new IOException("SolrCloud: " + command + ": " + line.substring(6));
            }
        }
        throw new IOException("the SolrCloud for the tests ended during '" + command + "'");
    }

    private void quit() {
        in.println("quit");
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        remove(dir);
    }

    private static void remove(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            // The JVM is ending: nothing can take the error further than its output.
            System.err.println("the SolrCloud's files in " + dir + " were not all removed: " + e);
        }
    }

}
