package org.demi.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.demi.compliance.host.Tokens;
import org.demi.deb.Fixtures;
import org.demi.mirror.fetch.DirectoryFetcher;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.source.KeyringResolver;
import org.demi.mirror.source.PoolPolicy;
import org.demi.mirror.source.PublishMode;
import org.demi.mirror.source.SignedBy;
import org.demi.mirror.source.SuiteSpec;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.Progress;
import org.demi.mirror.sync.ReleaseGuard;
import org.demi.mirror.sync.Syncer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance commands end to end: a mirror of Debian's real bullseye-security suite, the
 * real DSA list imported, the machine itself (a bullseye host with openssl set back below
 * DSA-5343-1) declared and collected locally, then reported.
 */
class ComplianceCommandsTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    Result demi(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("--config", tmp.resolve("etc").toString(), "--data",
                tmp.resolve("data").toString()));
        all.addAll(List.of(args));
        int code = Demi.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    void mirrorBullseyeSecurity() throws Exception {
        Path copy = tmp.resolve("copy");
        Path dist = copy.resolve("dists/bullseye-security");
        Files.createDirectories(dist.resolve("main/binary-amd64"));
        Files.copy(Fixtures.path("archive/bullseye-security/InRelease"), dist.resolve("InRelease"));
        Files.copy(Fixtures.path("archive/bullseye-security/main/binary-amd64/Packages.xz"), dist.resolve("main/binary-amd64/Packages.xz"));
        Instant captured = Instant.parse("2026-11-21T00:00:00Z");
        Clock clock = Clock.fixed(captured, ZoneOffset.UTC);
        MirrorStore store = new MirrorStore(tmp.resolve("data"), clock);
        SigningKey serverKey = SigningKey.generate("test <t@example.org>", captured.minusSeconds(3600), null, 2048);
        Syncer s = new Syncer(store, new KeyringResolver(List.of(Fixtures.path("keyrings/debian-archive-keyring.gpg"))), clock,
                ReleaseGuard.DEFAULT, serverKey, 2, org.demi.mirror.fetch.TransferLimits.DEFAULT);
        Upstream up = new Upstream("debian-security", copy.toUri(),
                List.of(new SuiteSpec("bullseye-security", List.of("main"), List.of("amd64"), true, false, SignedBy.DEFAULT)),
                PoolPolicy.NONE, PublishMode.VERBATIM);
        Syncer.Report r = s.sync(up, new DirectoryFetcher(copy), Progress.SILENT);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    /**
     * A push token is for one push host as long as it is declared so: removing the host, or
     * turning it into an SSH host, revokes the token, so declaring the name again later does not
     * bring the old token back to life.
     */
    @Test
    void aHostsPushTokenEndsWithItsDeclaration() throws Exception {
        Tokens tokens = Tokens.forPushHosts(tmp.resolve("data/keys/push-tokens"));
        assertThat(demi("hosts", "add", "laptop", "--collect", "push").code()).isZero();
        String first = demi("hosts", "token", "laptop").out().strip().lines().findFirst().orElseThrow();
        assertThat(tokens.verify("laptop", first)).isTrue();
        Result removed = demi("hosts", "remove", "laptop");
        assertThat(removed.out()).contains("revoked laptop's push token");
        assertThat(demi("hosts", "add", "laptop", "--collect", "push").code()).isZero();
        assertThat(tokens.verify("laptop", first)).isFalse();

        String second = demi("hosts", "token", "laptop").out().strip().lines().findFirst().orElseThrow();
        assertThat(tokens.verify("laptop", second)).isTrue();
        assertThat(demi("hosts", "add", "laptop", "--address", "127.0.0.1").out()).contains("revoked laptop's push token");
        assertThat(demi("hosts", "add", "laptop", "--collect", "push").code()).isZero();
        assertThat(tokens.verify("laptop", second)).isFalse();
    }

    /**
     * A fleet's push hosts get their tokens in one command, one write: a "HOST TOKEN" line each.
     * A name that may not hold a token (undeclared, or an SSH host) refuses the whole command
     * before anything is written, so the tokens the hosts already hold keep working.
     */
    @Test
    void severalPushHostsGetTheirTokensAtOnce() throws Exception {
        Tokens tokens = Tokens.forPushHosts(tmp.resolve("data/keys/push-tokens"));
        for (String h : new String[] {"web1", "web2", "db1"}) {
            assertThat(demi("hosts", "add", h, "--collect", "push").code()).isZero();
        }
        assertThat(demi("hosts", "add", "gw", "--address", "127.0.0.1").code()).isZero();
        String web1 = demi("hosts", "token", "web1").out().strip();

        Result ssh = demi("hosts", "token", "web2", "gw", "db1");
        assertThat(ssh.code()).isNotZero();
        assertThat(ssh.err()).contains("gw is collected by ssh, not push").contains("no token was made");
        Result unknown = demi("hosts", "token", "web2", "nosuch");
        assertThat(unknown.err()).contains("no host named 'nosuch'");
        assertThat(tokens.verify("web1", web1)).isTrue();
        assertThat(tokens.verify("web2", "anything")).isFalse();

        List<String> lines = demi("hosts", "token", "web1", "web2", "db1").out().strip().lines().toList();
        assertThat(lines).hasSize(3);
        Map<String, String> made = new java.util.LinkedHashMap<>();
        lines.forEach(l -> made.put(l.split(" ")[0], l.split(" ")[1]));
        assertThat(made.keySet()).containsExactly("web1", "web2", "db1");
        for (Map.Entry<String, String> e : made.entrySet()) {
            assertThat(tokens.verify(e.getKey(), e.getValue())).as(e.getKey()).isTrue();
        }
        assertThat(tokens.verify("web1", web1)).as("the token web1 held before is replaced").isFalse();
        assertThat(tokens.verify("web2", made.get("db1"))).as("each token opens its own host only").isFalse();
    }

    @Test
    void hostsCollectAndReport() throws Exception {
        mirrorBullseyeSecurity();
        Result imported = demi("advisories", "import", Fixtures.path("tracker/DSA-list").toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("DSA-list: 5406 advisories from");
        assertThat(demi("advisories", "import", Fixtures.path("hosts/bullseye-minbase/status").toString()).code()).isEqualTo(2);

        // The "local machine": a root holding the bullseye host's files, openssl set back to 1.1.1n-0+deb11u3.
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(root.resolve("etc"));
        Files.copy(Fixtures.path("hosts/bullseye-minbase/os-release"), root.resolve("etc/os-release"));
        String status = Files.readString(Fixtures.path("hosts/bullseye-minbase/status"))
                .replace("Version: 1.1.1w-0+deb11u1", "Version: 1.1.1n-0+deb11u3");
        Files.writeString(root.resolve("var/lib/dpkg/status"), status);

        assertThat(demi("hosts", "add", "bull", "--collect", "local", "--group", "lab").code()).isZero();
        assertThat(demi("hosts", "add", "web1", "--address", "192.0.2.10", "--port", "2222", "--group", "web").code()).isZero();
        assertThat(demi("hosts", "add", "../evil", "--collect", "local").code()).isEqualTo(2);
        assertThat(demi("hosts", "list").out()).contains("bull").contains("demi@192.0.2.10:2222").doesNotContain("evil");
        assertThat(Files.readString(tmp.resolve("etc/hosts"))).contains("Host: bull\n").contains("Collect: local\n");
        assertThat(demi("hosts", "remove", "web1").code()).isZero();
        assertThat(demi("hosts", "remove", "web1").code()).isEqualTo(2);

        Result first = demi("--local-root", root.toString(), "collect");
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).startsWith("bull: stored ");
        assertThat(demi("--local-root", root.toString(), "collect", "bull").out()).startsWith("bull: unchanged ");
        assertThat(demi("--local-root", root.toString(), "collect", "nosuch").code()).isEqualTo(2);

        Result json = demi("report", "--format", "json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode host = new ObjectMapper().readTree(json.out()).get("hosts").get(0);
        assertThat(host.get("host").asText()).isEqualTo("bull");
        assertThat(host.get("release").asText()).isEqualTo("bullseye");
        assertThat(host.get("support").asText()).isEqualTo("mirrored");
        assertThat(host.get("verdict").asText()).isEqualTo("non-compliant");
        assertThat(host.get("open_advisories").toString()).isEqualTo("[\"DSA-5343-1\"]");
        assertThat(host.get("oldest_open_advisory").asText()).isEqualTo("2023-02-07");
        // The host's point release lags this later bullseye-security for many packages (53 here), openssl among them.
        assertThat(host.get("security_updates").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(host.get("packages").asInt()).isPositive();

        // The same file inspected offline, like debsecan. No os-release beside it: base-files 11.x says bullseye.
        Result inspect = demi("inspect", root.resolve("var/lib/dpkg/status").toString(), "--format", "json");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(inspect.out());
        assertThat(doc.get("release").asText()).isEqualTo("bullseye");
        assertThat(doc.get("open_advisories").get(0).asText()).isEqualTo("DSA-5343-1 2023-02-07 openssl 1.1.1n-0+deb11u3 << 1.1.1n-0+deb11u4");
        JsonNode openssl = null;
        for (JsonNode row : doc.get("installed")) {
            if (row.get("package").asText().equals("openssl")) {
                openssl = row;
            }
        }
        assertThat(openssl.get("state").asText()).isEqualTo("security-update");
        assertThat(openssl.get("advisories").asText()).isEqualTo("DSA-5343-1");
        assertThat(demi("inspect", root.resolve("var/lib/dpkg/status").toString(), "--release", "bookworm", "--format", "json").out())
                .contains("\"support\" : \"not-mirrored (published suites serve bullseye)\"");

        // The index: rebuilt from the data directory, then searched with the web box's syntax.
        assertThat(demi("search", "host:bull").code()).as("no index yet").isEqualTo(2);
        Result rebuilt = demi("index", "rebuild");
        assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.out()).startsWith("index rebuilt: 1 hosts, ");
        JsonNode found = new ObjectMapper().readTree(demi("search", "advisory:DSA-5343-1", "sort:package", "--format", "json").out());
        assertThat(found.get("total").asInt()).isEqualTo(2);
        assertThat(found.get("rows").get(0).get("package").asText()).isEqualTo("libssl1.1");
        assertThat(found.get("rows").get(1).get("version").asText()).isEqualTo("1.1.1n-0+deb11u3");
        assertThat(demi("search", "package:openssl", "version:<<1.1.1n-0+deb11u4").out()).contains("1 found").contains("bull\topenssl");
        assertThat(demi("search", "type:host", "verdict:non-compliant").out()).contains("1 found");
        Result bad = demi("search", "colour:red");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown field 'colour'");

        Result csv = demi("report", "--format", "csv");
        assertThat(csv.out().lines().toList()).hasSize(2);
        assertThat(csv.out().lines().skip(1).findFirst().orElseThrow()).startsWith("bull,lab,local,bullseye,mirrored,non-compliant,");
        assertThat(demi("report").out()).contains("bull").contains("non-compliant").contains("2023-02-07");
        assertThat(demi("report", "--format", "yaml").code()).isEqualTo(2);
        // For monitoring: exit 1 when any host matches a condition, naming the hosts; 0 otherwise.
        Result advisory = demi("report", "--fail-on", "advisory,stale");
        assertThat(advisory.code()).isEqualTo(1);
        assertThat(advisory.err()).contains("--fail-on advisory: bull").doesNotContain("stale:");
        assertThat(demi("report", "--fail-on", "stale").code()).isZero();
        assertThat(demi("report", "--fail-on", "security-update").code()).isEqualTo(1);
        assertThat(demi("report", "--fail-on", "purple").code()).isEqualTo(2);
    }

    @Test
    void anSshHostIsRefusedUntilTrustedThenCollected() throws Exception {
        try (org.demi.compliance.ssh.Sshd sshd = new org.demi.compliance.ssh.Sshd(tmp.resolve("sshd"))) {
            Result key = demi("hosts", "key");
            assertThat(key.code()).isZero();
            String publicKey = key.out().lines().findFirst().orElseThrow();
            assertThat(publicKey).startsWith("ssh-ed25519 ");
            assertThat(key.out()).contains("restrict,command=\"/usr/bin/demi-inventory\" " + publicKey);
            sshd.authorize(publicKey, "DEMI_INVENTORY_STATUS=" + Fixtures.path("hosts/trixie-minbase/status").toAbsolutePath()
                    + " DEMI_INVENTORY_OS_RELEASE=" + Fixtures.path("hosts/trixie-minbase/os-release").toAbsolutePath()
                    + " sh " + Path.of("../client/demi-inventory").toAbsolutePath());
            assertThat(demi("hosts", "add", "tri", "--address", "127.0.0.1", "--port", Integer.toString(sshd.port), "--user", "root")
                    .code()).isZero();

            Result refused = demi("collect", "tri");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.out()).contains("tri: refused: unknown host key ssh-ed25519 " + sshd.key().fingerprint());

            Result trust = demi("hosts", "trust", "tri");
            assertThat(trust.code()).as(trust.err()).isZero();
            assertThat(trust.out()).contains("trusted ssh-ed25519 " + sshd.key().fingerprint());
            assertThat(demi("collect", "tri").out()).startsWith("tri: stored ");
            assertThat(demi("collect").out()).startsWith("tri: unchanged ");

            JsonNode host = new ObjectMapper().readTree(demi("report", "--format", "json").out()).get("hosts").get(0);
            assertThat(host.get("release").asText()).isEqualTo("trixie");
            assertThat(host.get("collect").asText()).isEqualTo("ssh");
            assertThat(host.get("support").asText()).isEqualTo("not-mirrored");
        }
    }

    @Test
    void advisoriesSyncInstallsWhatParsesAndKeepsThePreviousOtherwise() throws Exception {
        byte[] dsa = Files.readAllBytes(Fixtures.path("tracker/DSA-list"));
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            byte[] body = switch (ex.getRequestURI().getPath()) {
                case "/tracker/data/DSA/list" -> dsa;
                case "/portal/DSA/list" -> "<html><body>Sign in</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                default -> null;
            };
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            Result ok = demi("advisories", "sync", "--dsa-url", base + "/tracker/data/DSA/list", "--dla-url", "none", "--json-url", "none");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("DSA-list: 5406 advisories from " + base);
            assertThat(Files.readAllBytes(tmp.resolve("data/advisories/DSA-list"))).isEqualTo(dsa);

            Result html = demi("advisories", "sync", "--dsa-url", base + "/portal/DSA/list", "--dla-url", base + "/nothing/DLA/list", "--json-url", "none");
            assertThat(html.code()).isEqualTo(1);
            assertThat(html.err()).contains("DSA-list: the fetch failed: " + base + "/portal/DSA/list: no advisory in it")
                    .contains("the previous list stays")
                    .contains("DLA-list: the fetch failed: " + base + "/nothing/DLA/list: not found (HTTP 404); no list is held");
            assertThat(Files.readAllBytes(tmp.resolve("data/advisories/DSA-list"))).isEqualTo(dsa);
            // A DSA list where the DLA list belongs is refused.
            Result swapped = demi("advisories", "sync", "--dsa-url", "none", "--dla-url", base + "/tracker/data/DSA/list", "--json-url", "none");
            assertThat(swapped.err()).contains("a DSA-list where a DLA-list was expected");
            assertThat(tmp.resolve("data/advisories/DLA-list")).doesNotExist();
        } finally {
            http.stop(0);
        }
    }

    @Test
    void theFleetPolicyFetchesExactlyWhatTheHostsNeed() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        SigningKey key = SigningKey.generate("Fleet Upstream <fleet@example.org>", now.minusSeconds(86400), null, 2048);
        Files.write(tmp.resolve("up.gpg"), key.publicBinary());
        org.demi.mirror.TestArchive a = new org.demi.mirror.TestArchive(tmp.resolve("up"), key);
        a.suite = "demitest-security";
        a.codename = "demitest-security";
        a.validUntil = now.plusSeconds(7 * 86400);
        a.add(new org.demi.mirror.TestArchive.Deb("hello", "1.0-2", "hello", "hello 1.0-2".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        a.add(new org.demi.mirror.TestArchive.Deb("other", "1.0-1", "other", "other 1.0-1".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        a.write(now.minusSeconds(60));
        Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(tmp.resolve("etc/sources.list"), "deb [signed-by=" + tmp.resolve("up.gpg") + " pool=fleet] "
                + tmp.resolve("up").toUri() + " demitest-security main\n");
        Result sync = demi("mirror", "sync");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        // A rollback: the rejection and its reason are said once, the summary names what stays.
        a.write(now.minusSeconds(3600));
        Result rollback = demi("mirror", "sync");
        assertThat(rollback.code()).isEqualTo(1);
        String said = rollback.out() + rollback.err();
        assertThat(said.split("older than the last accepted", -1)).as(said).hasSize(2);
        assertThat(rollback.err()).contains("demi: up: rejected: demitest-security; the previous snapshot stays published");
        a.write(now.minusSeconds(60));

        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_CODENAME=demitest\n");
        Files.writeString(root.resolve("var/lib/dpkg/status"), String.join("\n",
                "Package: dpkg", "Status: install ok installed", "Architecture: amd64", "Version: 1.21.22", "",
                "Package: hello", "Status: install ok installed", "Architecture: amd64", "Version: 1.0-1", "",
                "Package: other", "Status: install ok installed", "Architecture: amd64", "Version: 1.0-1", ""));
        assertThat(demi("hosts", "add", "box", "--collect", "local").code()).isZero();
        Result collect = demi("--local-root", root.toString(), "collect");
        assertThat(collect.code()).as(collect.out() + collect.err()).isZero();
        // hello has an update (1.0-1 -> 1.0-2): its .deb is fetched, verified and stored; other is current: not fetched.
        assertThat(collect.out()).contains("fleet: 1 pool file(s) the hosts need, 1 on the server");
        Path ondemand = tmp.resolve("data/mirror/ondemand/up");
        assertThat(ondemand.resolve("pool/main/h/hello/hello_1.0-2_amd64.deb")).hasContent("hello 1.0-2");
        assertThat(ondemand.resolve("pool/main/o/other/other_1.0-1_amd64.deb")).doesNotExist();
    }

    /**
     * A release's support by Debian's own dates: mirror sync fetches the newest distro-info-data
     * the mirror's suites offer (verified like any pool file), and the report judges a bookworm
     * host by its debian.csv, not by whether the mirror has a suite for bookworm. The same for
     * debian-security-support: the development host's binutils is flagged as limited.
     */
    @Test
    void aReleasesSupportComesFromDistroInfoDataInTheMirror() throws Exception {
        Path copy = tmp.resolve("debian");
        Path dist = copy.resolve("dists/bookworm");
        Files.createDirectories(dist.resolve("main/binary-amd64"));
        Files.copy(Fixtures.path("archive/bookworm/InRelease"), dist.resolve("InRelease"));
        Files.copy(Fixtures.path("archive/bookworm/main/binary-amd64/Packages.xz"), dist.resolve("main/binary-amd64/Packages.xz"));
        String deb = "pool/main/d/distro-info-data/distro-info-data_0.58+deb12u7_all.deb";
        Files.createDirectories(copy.resolve(deb).getParent());
        Files.copy(Fixtures.path("archive/bookworm/" + deb), copy.resolve(deb));
        String dss = "pool/main/d/debian-security-support/debian-security-support_12+2026.06.30_all.deb";
        Files.createDirectories(copy.resolve(dss).getParent());
        Files.copy(Fixtures.path("archive/bookworm/" + dss), copy.resolve(dss));
        Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(tmp.resolve("etc/sources.list"), "deb [signed-by=" + Fixtures.path("keyrings/debian-archive-keyring.gpg")
                + " arch=amd64 pool=on-demand] " + copy.toUri() + " bookworm main\n");
        Result sync = demi("mirror", "sync");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out()).contains("release dates: distro-info-data 0.58+deb12u7 in the mirror",
                "security support lists: debian-security-support 1:12+2026.06.30 in the mirror");

        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(root.resolve("etc"));
        Files.copy(Fixtures.path("hosts/bookworm-dev/os-release"), root.resolve("etc/os-release"));
        Files.copy(Fixtures.path("hosts/bookworm-dev/status"), root.resolve("var/lib/dpkg/status"));
        assertThat(demi("hosts", "add", "book", "--collect", "local").code()).isZero();
        assertThat(demi("--local-root", root.toString(), "collect").code()).isZero();

        byte[] csv = org.demi.deb.packages.DebFile.dataFile(copy.resolve(deb), "./usr/share/distro-info/debian.csv", 1 << 20).orElseThrow();
        String expected = org.demi.compliance.evaluation.ReleaseCalendar.parse(csv, "x")
                .support("bookworm", java.time.LocalDate.now(java.time.ZoneOffset.UTC)).word();
        JsonNode host = new ObjectMapper().readTree(demi("report", "--format", "json").out()).get("hosts").get(0);
        assertThat(host.get("support").asText()).isEqualTo(expected).isNotEqualTo("mirrored");
        assertThat(host.get("limited_support").toString())
                .contains("binutils:amd64: security support limited: Only suitable for trusted content");
    }
}
