package org.demi.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * A SolrCloud's live nodes, as its ZooKeeper lists them, and requests to them over Solr's HTTP
 * API: a request goes to one live node (which routes it within the cluster) and, when that node
 * cannot be reached, to the next; the list is read again from ZooKeeper when none answers.
 */
final class SolrNodes implements java.io.Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String zkAddress;
    private final ZooKeeper zk;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile List<String> nodes = List.of();

    private SolrNodes(String zkAddress, ZooKeeper zk) {
        this.zkAddress = zkAddress;
        this.zk = zk;
    }

    /** Connects to the ensemble {@code HOST:PORT[,HOST:PORT...]/CHROOT}. */
    static SolrNodes connect(String zkAddress) throws IOException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(zkAddress, 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try {
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IOException("ZooKeeper at " + zkAddress + " did not answer within 30 s");
            }
            SolrNodes n = new SolrNodes(zkAddress, zk);
            n.readLiveNodes();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to ZooKeeper at " + zkAddress, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(zk, e);
            throw e;
        }
    }

    private static void closeQuietly(ZooKeeper zk, Exception cause) {
        try {
            zk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cause.addSuppressed(e);
        }
    }

    /** The base addresses of the live nodes ({@code http://HOST:PORT/solr}), from ZooKeeper's {@code /live_nodes}. */
    private List<String> readLiveNodes() throws IOException {
        try {
            String scheme = "http";
            if (zk.exists("/clusterprops.json", false) != null) {
                byte[] props = zk.getData("/clusterprops.json", false, null);
                if (props != null && props.length > 0) {
                    scheme = JSON.readTree(props).path("urlScheme").asText("http");
                }
            }
            List<String> live = new ArrayList<>();
            for (String name : zk.getChildren("/live_nodes", false)) {
                // HOST:PORT_CONTEXT, the context's slashes written as %2F
                int sep = name.indexOf('_');
                String context = sep < 0 ? "solr" : java.net.URLDecoder.decode(name.substring(sep + 1), StandardCharsets.UTF_8);
                live.add(scheme + "://" + (sep < 0 ? name : name.substring(0, sep)) + "/" + context);
            }
            if (live.isEmpty()) {
                throw new IOException("no Solr node is live in the SolrCloud at " + zkAddress);
            }
            Collections.shuffle(live);
            nodes = List.copyOf(live);
            return nodes;
        } catch (KeeperException e) {
            throw new IOException("cannot read the live Solr nodes from ZooKeeper at " + zkAddress + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading ZooKeeper at " + zkAddress, e);
        }
    }

    int liveNodes() {
        return nodes.size();
    }

    /** Whether ZooKeeper holds {@code path} (under the chroot). */
    boolean exists(String path) throws IOException {
        try {
            return zk.exists(path, false) != null;
        } catch (KeeperException e) {
            throw new IOException("cannot read " + path + " from ZooKeeper at " + zkAddress + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading ZooKeeper at " + zkAddress, e);
        }
    }

    /** A GET of {@code path} (after {@code /solr}), its JSON answer. */
    JsonNode get(String path) throws IOException {
        return send(path, null, null);
    }

    /** A POST of a JSON body to {@code path}. */
    JsonNode post(String path, JsonNode body) throws IOException {
        return send(path, "application/json", JSON.writeValueAsBytes(body));
    }

    /** A POST of bytes of {@code type} to {@code path}. */
    JsonNode post(String path, String type, byte[] body) throws IOException {
        return send(path, type, body);
    }

    private JsonNode send(String path, String type, byte[] body) throws IOException {
        IOException unreachable = null;
        for (int round = 0; round < 2; round++) {
            for (String node : round == 0 ? nodes : readLiveNodes()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + path)).timeout(TIMEOUT);
                if (body == null) {
                    request.GET();
                } else {
                    request.header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                }
                HttpResponse<byte[]> response;
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                    // This node is down: the next one answers instead.
                    IOException down = new IOException("Solr node " + node + " cannot be reached: " + e, e);
                    if (unreachable != null) {
                        down.addSuppressed(unreachable);
                    }
                    unreachable = down;
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while asking Solr " + path, e);
                }
                JsonNode answer;
                try {
                    answer = JSON.readTree(response.body());
                } catch (IOException e) {
                    throw new IOException("Solr node " + node + " answered " + path + " with HTTP " + response.statusCode()
                            + " and no JSON: " + new String(response.body(), 0, Math.min(200, response.body().length),
                            StandardCharsets.UTF_8), e);
                }
                if (response.statusCode() != 200) {
                    throw new SolrException(response.statusCode(), answer.path("error").path("msg").asText(answer.toString()), path);
                }
                return answer;
            }
        }
        throw unreachable != null ? unreachable : new IOException("no Solr node is live in the SolrCloud at " + zkAddress);
    }

    /** Solr's answer to a request it refused. */
    static final class SolrException extends IOException {
        final int status;

        SolrException(int status, String message, String path) {
            super("Solr refused " + path.replaceAll("\\?.*", "") + " (HTTP " + status + "): " + message);
            this.status = status;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            zk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing ZooKeeper's session", e);
        }
    }
}
