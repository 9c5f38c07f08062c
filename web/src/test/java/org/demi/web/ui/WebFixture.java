package org.demi.web.ui;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.compliance.inventory.Inventory;
import org.demi.deb.Fixtures;
import org.demi.index.FleetIndex;
import org.demi.mirror.fetch.DirectoryFetcher;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.source.KeyringResolver;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.source.Upstreams;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.Progress;
import org.demi.mirror.sync.ReleaseGuard;
import org.demi.mirror.sync.Syncer;
import org.demi.web.access.PasswordHash;
import org.demi.web.access.Role;
import org.demi.web.access.User;
import org.demi.web.access.UsersFile;
import org.demi.web.app.Application;
import org.demi.web.app.Configuration;
import org.demi.web.cli.Demi;
import org.demi.web.compliance.ComplianceSetup;

/**
 * A running {@code demi serve} web side for tests: three hosts (one of them with a package whose
 * description is a script), the real DSA list, an admin and a viewer; and an HTTP client that
 * keeps its own cookies and never follows redirects, so each answer can be checked as sent.
 */
final class WebFixture implements AutoCloseable {
    static final String ADMIN_PASSWORD = "correct horse battery";
    static final String VIEWER_PASSWORD = "viewer password 1";
    static final String EVIL = "<script>alert('pwned')</script> & \"quotes\", na\u00efve \u2603 \ud834\udd1e";

    /**
     * The tracker's CVE data for the three hosts, in its own JSON format. web1 (bookworm-minbase)
     * has openssl 3.0.20-1~deb12u2, db1 (bookworm-dev) 3.0.19-1~deb12u2, old1 (bullseye) 1.1.1n-0+deb11u3;
     * the mirror offers 3.0.22-1~deb12u2 and 1.1.1w-0+deb11u8. So CVE-2026-1001 has a fix available
     * on all three; CVE-2026-1002's bookworm fix is beyond the mirror, and bullseye never had it;
     * perl's are open (postponed) or undetermined on the bookworm hosts; bash's is fixed (web1's
     * bash 5.2.15-2+b13 is a binNMU of the fixed source version); db1's linux-libc-dev and linux-perf
     * 6.1.187-1 are past the kernel's CVE-2026-2001, fixed in 6.1.171-1 (RebootTest gives a host
     * a kernel that is not).
     */
    static final String TRACKER_JSON = """
            {"openssl": {
               "CVE-2026-1001": {"scope": "remote", "description": "A flaw in TLS handshakes (constructed test data).",
                 "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.22-1~deb12u1", "urgency": "high"},
                              "bullseye": {"status": "resolved", "fixed_version": "1.1.1w-0+deb11u2", "urgency": "high**"}}},
               "CVE-2026-1002": {"scope": "local", "description": "A local flaw (constructed test data).",
                 "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.30-1~deb12u1", "urgency": "medium"},
                              "bullseye": {"status": "resolved", "fixed_version": "0", "urgency": "medium"}}}},
             "perl": {
               "CVE-2026-1007": {"scope": "local", "releases": {"bookworm": {"status": "open", "urgency": "low",
                                 "nodsa": "Minor issue", "nodsa_reason": "postponed"}}},
               "TEMP-0000000-A1B2C3": {"releases": {"bookworm": {"status": "undetermined", "urgency": "not yet assigned"}}}},
             "bash": {
               "CVE-2026-1004": {"scope": "local", "releases": {"bookworm": {"status": "resolved", "fixed_version": "5.2.15-2",
                                 "urgency": "medium"}}}},
             "linux": {
               "CVE-2026-2001": {"scope": "local", "description": "A kernel flaw (constructed test data).",
                 "releases": {"bookworm": {"status": "resolved", "fixed_version": "6.1.171-1", "urgency": "high"}}}}}
            """;

    final Path config;
    final Path data;
    final ComplianceSetup setup;
    final UsersFile users;
    final Application app;
    final FleetIndex index;
    final String base;

    WebFixture(Path tmp) throws Exception {
        this(tmp, java.util.Optional.empty());
    }

    /** With a certificate: HTTPS on the main address, plain HTTP beside it for the repository and pushes. */
    WebFixture(Path tmp, java.util.Optional<org.demi.web.serve.Tls> tls) throws Exception {
        this(tmp, tls, org.demi.web.app.IndexLocation.EMBEDDED, "");
    }

    /**
     * With the index kept there, and the hosts' names after a prefix (a-web1...), so that several
     * servers can share one index, each with hosts of its own.
     */
    WebFixture(Path tmp, java.util.Optional<org.demi.web.serve.Tls> tls, org.demi.web.app.IndexLocation where, String prefix)
            throws Exception {
        this(tmp, tls, where, prefix, false);
    }

    /** @param metricsAddress whether /metrics also answers anonymously on an address of its own (--metrics-listen) */
    WebFixture(Path tmp, java.util.Optional<org.demi.web.serve.Tls> tls, org.demi.web.app.IndexLocation where, String prefix,
            boolean metricsAddress) throws Exception {
        config = tmp.resolve("etc");
        data = tmp.resolve("data");
        HostsFile.write(config.resolve("hosts"), List.of(
                new HostSpec(prefix + "web1", null, 22, null, List.of("dmz"), CollectMethod.PUSH),
                new HostSpec(prefix + "db1", null, 22, null, List.of("core"), CollectMethod.PUSH),
                new HostSpec(prefix + "old1", null, 22, null, List.of("core", "legacy"), CollectMethod.PUSH)));
        Configuration configuration = Configuration.of(config, data);
        setup = new ComplianceSetup(configuration);
        StringWriter out = new StringWriter();
        if (Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", config.toString(), "--data", data.toString(),
                "advisories", "import", Fixtures.path("tracker/DSA-list").toAbsolutePath().toString()) != 0) {
            throw new IllegalStateException(out.toString());
        }
        Path json = tmp.resolve("tracker.json");
        Files.writeString(json, TRACKER_JSON);
        if (Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", config.toString(), "--data", data.toString(),
                "advisories", "import", json.toString()) != 0) {
            throw new IllegalStateException(out.toString());
        }
        String evil = "\nPackage: evil-tool\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
                + "Installed-Size: 1\nMaintainer: Someone <someone@example.org>\nArchitecture: all\nVersion: 1.0-1\n"
                + "Description: " + EVIL + "\n more\n";
        setup.inventories().accept(prefix + "web1", "push", inventory("bookworm-minbase", evil));
        setup.inventories().accept(prefix + "db1", "push", inventory("bookworm-dev", ""));
        setup.inventories().accept(prefix + "old1", "push", inventory("bullseye-minbase", "")); // replaced below, set back
        setup.inventories().accept(prefix + "old1", "push", Inventory.of(Files.readAllBytes(Fixtures.path("hosts/bullseye-minbase/os-release")),
                Files.readString(Fixtures.path("hosts/bullseye-minbase/status"))
                        .replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3").getBytes(StandardCharsets.UTF_8)));
        mirror(tmp, config, data);
        users = new UsersFile(data);
        SecureRandom random = new SecureRandom();
        users.put(new User("alice", Role.ADMIN, PasswordHash.hash(ADMIN_PASSWORD, random)));
        users.put(new User("victor", Role.VIEWER, PasswordHash.hash(VIEWER_PASSWORD, random)));
        // The server as demi serve builds it, without its periodic sync and collection.
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        org.demi.web.serve.Network network = tls.isPresent()
                ? new org.demi.web.serve.Network(any, tls, java.util.Optional.of(any), org.demi.web.serve.Network.CONNECTIONS_PER_ADDRESS,
                        java.util.Optional.empty())
                : org.demi.web.serve.Network.of(any);
        if (metricsAddress) {
            network = network.withMetrics(any);
        }
        app = Application.build(configuration, new Application.Options(network, Duration.ZERO,
                Duration.ZERO, Application.Options.COMMIT_EVERY).withIndex(where), new PrintWriter(out), new PrintWriter(out));
        app.start();
        app.indexer().flush(); // the re-index start() queued
        app.exposure().compute(app.compliance().fleet(), 30);
        index = app.index();
        base = (tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + app.port();
    }

    /**
     * Debian's real bookworm, bookworm-security and bullseye-security indices, verified and
     * published as the mirror does, on the day the security suites were captured; the
     * configuration's sources name them, as an administrator's would.
     */
    static void mirror(Path tmp, Path config, Path data) throws Exception {
        String keyring = Fixtures.path("keyrings/debian-archive-keyring.gpg").toAbsolutePath().toString();
        StringBuilder sources = new StringBuilder();
        for (String[] u : new String[][] {{"debian", "bookworm"}, {"debian-security", "bookworm-security", "bullseye-security"}}) {
            Path copy = tmp.resolve("upstream").resolve(u[0]);
            for (int i = 1; i < u.length; i++) {
                Path dist = copy.resolve("dists/" + u[i]);
                Files.createDirectories(dist.resolve("main/binary-amd64"));
                Files.copy(Fixtures.path("archive/" + u[i] + "/InRelease"), dist.resolve("InRelease"));
                Files.copy(Fixtures.path("archive/" + u[i] + "/main/binary-amd64/Packages.xz"),
                        dist.resolve("main/binary-amd64/Packages.xz"));
                sources.append("deb [signed-by=").append(keyring).append(" arch=amd64 pool=none] ").append(copy.toUri()).append(' ')
                        .append(u[i]).append(" main\n");
            }
        }
        Files.createDirectories(config);
        Files.writeString(config.resolve("sources.list"), sources.toString());
        java.time.Instant captured = java.time.Instant.parse("2026-11-21T12:00:00Z");
        Clock clock = Clock.fixed(captured, java.time.ZoneOffset.UTC);
        MirrorStore store = new MirrorStore(data, clock);
        Syncer syncer = new Syncer(store, new KeyringResolver(List.of(Fixtures.path("keyrings/debian-archive-keyring.gpg"))), clock,
                ReleaseGuard.DEFAULT, SigningKey.generate("test <t@example.org>", captured.minusSeconds(3600), null, 2048), 2, org.demi.mirror.fetch.TransferLimits.DEFAULT);
        for (Upstream up : Upstreams.load(config, tmp.resolve("no-apt"), List.of("amd64"), w -> { })) {
            Syncer.Report r = syncer.sync(up, new DirectoryFetcher(Path.of(up.uri())), Progress.SILENT);
            if (!r.ok()) {
                throw new IllegalStateException(r.toString());
            }
        }
    }

    private static Inventory inventory(String host, String extraStatus) throws Exception {
        byte[] status = (new String(Fixtures.plain("hosts/" + host + "/status"), StandardCharsets.UTF_8) + extraStatus)
                .getBytes(StandardCharsets.UTF_8);
        return Inventory.of(Files.readAllBytes(Fixtures.path("hosts/" + host + "/os-release")), status);
    }

    @Override
    public void close() throws Exception {
        app.close();
    }

    Browser browser() {
        return new Browser(base);
    }

    /** An HTTP client with a cookie jar of its own that shows redirects instead of following them. */
    static final class Browser {
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        final Map<String, String> cookies = new LinkedHashMap<>();
        final String base;

        Browser(String base) {
            this.base = base;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
            List<String> parts = new ArrayList<>();
            form.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts))));
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
            if (!cookies.isEmpty()) {
                List<String> c = new ArrayList<>();
                cookies.forEach((k, v) -> c.add(k + "=" + v));
                b.header("Cookie", String.join("; ", c));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("set-cookie")) {
                String nv = set.split(";", 2)[0];
                String name = nv.substring(0, nv.indexOf('='));
                String value = nv.substring(nv.indexOf('=') + 1);
                if (value.isEmpty() || set.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return r;
        }

        /** Logs in through the form, as a person would; returns the answer to the POST. */
        HttpResponse<String> logIn(String user, String password) throws IOException, InterruptedException {
            String form = get("/login").body();
            return post("/login", Map.of("csrf", csrf(form), "user", user, "password", password, "next", "/"));
        }
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token in the page");
        }
        return m.group(1);
    }
}
