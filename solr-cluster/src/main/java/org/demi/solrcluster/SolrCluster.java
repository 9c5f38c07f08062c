package org.demi.solrcluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.solr.cloud.MiniSolrCloudCluster;

/**
 * A SolrCloud cluster on loopback for tests: ZooKeeper and {@code N} Solr nodes in this JVM,
 * steered over standard input, one command a line.
 * <pre>
 * java -cp ... org.demi.solrcluster.SolrCluster NODES DIR
 *   prints: zk HOST:PORT/CHROOT, then node I URL for each node, then ready
 *   stop I    stops node I (its data stays in DIR)        prints: stopped I
 *   start I   starts node I again, on the same port        prints: started I
 *   quit      shuts everything down                      (or end of input)
 * </pre>
 * Errors are printed as {@code error MESSAGE} and end the process with status 1.
 */
public final class SolrCluster {
    private SolrCluster() {
    }

    /**
     * Waits until every replica of every collection is active again: a node that comes back
     * first recovers what it missed from its shards' leaders.
     */
    private static void everyReplicaActive(MiniSolrCloudCluster cluster) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            var reader = cluster.getZkStateReader();
            var live = reader.getClusterState().getLiveNodes();
            boolean active = true;
            for (var collection : reader.getClusterState().collectionStream().toList()) {
                for (var replica : collection.getReplicas()) {
                    active &= replica.isActive(live);
                }
            }
            if (active) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replicas still not active two minutes after a node started");
            }
            Thread.sleep(200);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SolrCluster NODES DIR");
            System.exit(2);
        }
        // Standard output is for the commands' answers alone: what Solr logs to it goes to standard
        // error instead, which nobody needs to read for the cluster to go on.
        java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        int nodes = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(nodes, dir).build();
        try {
            out.println("zk " + cluster.getZkServer().getZkAddress());
            // Kept here: the cluster's own list drops a node it stops.
            List<JettySolrRunner> runners = List.copyOf(cluster.getJettySolrRunners());
            for (int i = 0; i < runners.size(); i++) {
                out.println("node " + i + " " + runners.get(i).getBaseUrl());
            }
            out.println("ready");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split("\\s+");
                if (words[0].isEmpty()) {
                    continue;
                }
                switch (words[0]) {
                    case "stop" -> {
                        runners.get(Integer.parseInt(words[1])).stop();
                        out.println("stopped " + words[1]);
                    }
                    case "start" -> {
                        JettySolrRunner runner = runners.get(Integer.parseInt(words[1]));
                        runner.start(true); // on the port it had
                        cluster.waitForNode(runner, 60);
                        everyReplicaActive(cluster);
                        out.println("started " + words[1]);
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> out.println("error unknown command '" + line + "'");
                }
                out.flush();
            }
        } catch (Exception e) {
            out.println("error " + e);
            out.flush();
            throw e;
        } finally {
            cluster.shutdown();
        }
    }
}
