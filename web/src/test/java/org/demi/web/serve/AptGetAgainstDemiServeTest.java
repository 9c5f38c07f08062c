package org.demi.web.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.demi.mirror.DirectoryServer;
import org.demi.mirror.TestArchive;
import org.demi.mirror.pgp.SigningKey;
import org.demi.web.cli.Demi;
import org.demi.web.mirror.MirrorSetup;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with Debian's own client: an upstream the test builds and signs (real .deb
 * files made by dpkg-deb), served on loopback, synced by {@code demi mirror sync}, then
 * served by Demi's Jetty to real {@code apt-get update} and {@code apt-get install
 * --download-only} in a throw-away apt root.
 */
class AptGetAgainstDemiServeTest {
    @TempDir
    static Path tmp;
    static HttpServer upstream;
    static Server demi;
    static Path config;
    static Path data;
    static byte[] helloDeb;
    static String demiUrl;

    @BeforeAll
    static void setUp() throws Exception {
        Instant now = Instant.now();
        SigningKey key = SigningKey.generate("Demo Upstream <demo@example.org>", now.minus(Duration.ofDays(1)), null, 2048);
        Files.write(tmp.resolve("upstream.gpg"), key.publicBinary());
        helloDeb = buildDeb("demi-hello", "1.0-1");
        for (String name : List.of("verbatim", "curated")) {
            TestArchive a = new TestArchive(tmp.resolve("up/" + name), key);
            a.validUntil = now.plus(Duration.ofDays(7));
            a.add(new TestArchive.Deb("demi-hello", "1.0-1", "demi-hello", helloDeb));
            a.write(now.minus(Duration.ofMinutes(5)));
        }
        upstream = DirectoryServer.start(tmp.resolve("up"));
        String up = "http://127.0.0.1:" + upstream.getAddress().getPort();
        config = tmp.resolve("etc-demi");
        data = tmp.resolve("data");
        Files.createDirectories(config);
        String signedBy = "signed-by=" + tmp.resolve("upstream.gpg");
        Files.writeString(config.resolve("sources.list"),
                "deb [" + signedBy + "] " + up + "/verbatim stable-security main\n"
                        + "deb [" + signedBy + " publish=curated] " + up + "/curated stable-security main\n");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Demi.run(new PrintWriter(out), new PrintWriter(err), "--config", config.toString(), "--data", data.toString(),
                "mirror", "sync");
        assertThat(code).as(out + "\n" + err).isZero();

        MirrorSetup setup = new MirrorSetup(org.demi.web.app.Configuration.of(config, data));
        setup.publishServerKey();
        demi = DemiServer.build(Network.of(new InetSocketAddress("127.0.0.1", 0)), setup.store(), setup.onDemand(setup.upstreams(w -> { })),
                java.util.Optional.empty(), java.util.Optional.empty());
        demi.start();
        demiUrl = "http://127.0.0.1:" + ((ServerConnector) demi.getConnectors()[0]).getLocalPort() + "/debian/";
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (demi != null) {
            demi.stop();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    static byte[] buildDeb(String name, String version) throws Exception {
        Path dir = tmp.resolve("build/" + name);
        Files.createDirectories(dir.resolve("DEBIAN"));
        Files.createDirectories(dir.resolve("usr/share/doc/" + name));
        Files.writeString(dir.resolve("usr/share/doc/" + name + "/README"), "built by Demi's tests\n");
        Files.writeString(dir.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: amd64\nMaintainer: Demi Tests <tests@example.org>\nDescription: test package\n");
        Path deb = tmp.resolve("build/" + name + ".deb");
        run(List.of("dpkg-deb", "--root-owner-group", "-Zxz", "--build", dir.toString(), deb.toString()));
        return Files.readAllBytes(deb);
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + output).isZero();
        return output;
    }

    /** apt-get confined to its own root, pointed at one upstream of demi serve. */
    static Path aptRoot(String upstreamName, Path signedBy) throws IOException {
        Path root = tmp.resolve("apt-" + upstreamName);
        Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
        Files.createDirectories(root.resolve("etc/apt/preferences.d"));
        Files.createDirectories(root.resolve("etc/apt/apt.conf.d"));
        Files.createDirectories(root.resolve("var/lib/apt/lists/partial"));
        Files.createDirectories(root.resolve("var/cache/apt/archives/partial"));
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("etc/apt/sources.list"),
                "deb [signed-by=" + signedBy + "] " + demiUrl + upstreamName + " stable-security main\n");
        return root;
    }

    static List<String> apt(Path root, String... args) {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q", "-o", "Dir=" + root, "-o", "Dir::State::status=" + root.resolve("var/lib/dpkg/status"),
                "-o", "APT::Architecture=amd64", "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1",
                "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none", "-o", "Dir::Etc::trusted=" + root.resolve("none"),
                "-o", "Dir::Etc::trustedparts=" + root.resolve("none.d")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void aptGetInstallsFromTheVerbatimMirrorTrustingTheUpstreamKey() throws Exception {
        Path root = aptRoot("verbatim", tmp.resolve("upstream.gpg"));
        String update = run(apt(root, "update"));
        assertThat(update).doesNotContain("W:").doesNotContain("E:");
        run(apt(root, "install", "-y", "--download-only", "demi-hello"));
        Path got = root.resolve("var/cache/apt/archives/demi-hello_1.0-1_amd64.deb");
        assertThat(Files.readAllBytes(got)).isEqualTo(helloDeb);
        // It came through on-demand fetching and now lies in Demi's pool.
        assertThat(data.resolve("mirror/ondemand/verbatim/pool/main/d/demi-hello/demi-hello_1.0-1_amd64.deb")).exists();
    }

    @Test
    void aptGetInstallsFromTheCuratedMirrorTrustingOnlyTheServersKey() throws Exception {
        Path root = aptRoot("curated", data.resolve("keys/archive-key.gpg"));
        assertThat(run(apt(root, "update"))).doesNotContain("W:").doesNotContain("E:");
        run(apt(root, "install", "-y", "--download-only", "demi-hello"));
        assertThat(Files.readAllBytes(root.resolve("var/cache/apt/archives/demi-hello_1.0-1_amd64.deb"))).isEqualTo(helloDeb);

        // With upstream's key instead, apt refuses the curated suite.
        Path wrong = aptRoot("curated-wrong", tmp.resolve("upstream.gpg"));
        Files.writeString(wrong.resolve("etc/apt/sources.list"),
                "deb [signed-by=" + tmp.resolve("upstream.gpg") + "] " + demiUrl + "curated stable-security main\n");
        Process p = new ProcessBuilder(apt(wrong, "update")).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(output).contains("NO_PUBKEY");
    }

    static HttpURLConnection request(String method, String path, String... headers) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(demiUrl + path).toURL().openConnection();
        c.setRequestMethod(method);
        for (int i = 0; i < headers.length; i += 2) {
            c.setRequestProperty(headers[i], headers[i + 1]);
        }
        return c;
    }

    @Test
    void httpSemanticsThatApiClientsAndCachesRelyOn() throws Exception {
        String path = "verbatim/dists/stable-security/InRelease";
        HttpURLConnection get = request("GET", path);
        assertThat(get.getResponseCode()).isEqualTo(200);
        byte[] body = get.getInputStream().readAllBytes();
        assertThat(body).isEqualTo(Files.readAllBytes(tmp.resolve("up/verbatim/dists/stable-security/InRelease")));
        assertThat(get.getContentType()).startsWith("text/plain");
        String etag = get.getHeaderField("ETag");
        String lastModified = get.getHeaderField("Last-Modified");
        assertThat(etag).isNotBlank();
        assertThat(lastModified).isNotBlank();

        assertThat(request("GET", path, "If-None-Match", etag).getResponseCode()).isEqualTo(304);
        assertThat(request("GET", path, "If-Modified-Since", lastModified).getResponseCode()).isEqualTo(304);

        HttpURLConnection range = request("GET", path, "Range", "bytes=10-19");
        assertThat(range.getResponseCode()).isEqualTo(206);
        assertThat(range.getInputStream().readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(body, 10, 20));

        HttpURLConnection head = request("HEAD", path);
        assertThat(head.getResponseCode()).isEqualTo(200);
        assertThat(head.getContentLengthLong()).isEqualTo(body.length);

        HttpURLConnection xz = request("HEAD", "verbatim/dists/stable-security/main/binary-amd64/Packages.xz");
        assertThat(xz.getContentType()).isEqualTo("application/x-xz");
        assertThat(request("GET", "demi-archive-key.asc").getResponseCode()).isEqualTo(200);
    }

    @Test
    void noDirectoryListingsNoTraversalNoSymlinkEscape() throws Exception {
        assertThat(request("GET", "verbatim/dists/").getResponseCode()).isIn(403, 404);
        assertThat(request("GET", "verbatim/../../../etc/passwd").getResponseCode()).isIn(400, 404);
        assertThat(request("GET", "verbatim/%2e%2e/%2e%2e/keys/archive-signing-key.asc").getResponseCode()).isIn(400, 404);
        // A link planted inside a published snapshot must not expose what it points to.
        Path tree = data.resolve("published/verbatim").toRealPath();
        Path planted = tree.resolve("dists/stable-security/passwd");
        Files.createSymbolicLink(planted, Path.of("/etc/passwd"));
        Path plantedKey = tree.resolve("dists/stable-security/key");
        Files.createSymbolicLink(plantedKey, data.resolve("keys/archive-signing-key.asc").toAbsolutePath());
        try {
            assertThat(request("GET", "verbatim/dists/stable-security/passwd").getResponseCode()).isEqualTo(404);
            assertThat(request("GET", "verbatim/dists/stable-security/key").getResponseCode()).isEqualTo(404);
        } finally {
            Files.delete(planted);
            Files.delete(plantedKey);
        }
        // Pool paths the verified indices do not name are not fetched.
        assertThat(request("GET", "verbatim/pool/main/x/evil/evil_1_amd64.deb").getResponseCode()).isEqualTo(404);
    }
}
