package org.demi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.ssh.DeliveryFile;
import org.demi.compliance.ssh.KnownHosts;
import org.demi.compliance.ssh.SshCollector;
import org.demi.compliance.ssh.SshIdentity;

/**
 * A delivery to {@code HOSTS} hosts over one real OpenSSH sshd on loopback, beside {@code rsync -a}
 * copying the same files over the same sshd, first to empty hosts and then again with nothing
 * changed, as many hosts at once for both as Demi collects ({@code 16}).
 *
 * <p>The tree is Debian's own: bookworm's InRelease and main/amd64 Packages.xz, two of its .debs,
 * and bookworm-security's InRelease and Packages.xz (9.5 MB a host). Each host is the real
 * host side ({@code demi-inventory}'s forced command passing {@code receive} to
 * {@code demi-client}) with its own tree, told apart by the loopback address its connection comes
 * from; its apt verifies every delivery against Debian's keyring before taking it (with
 * {@code Check-Valid-Until} off: the fixtures' security release file is past its date), which
 * rsync does not do. Every connection of both goes through a counting relay, so besides each
 * tool's own count of what it exchanged (its payload) the bytes on the wire, SSH's handshake and
 * framing included, are measured alike; and the CPU the hosts' side spent, which on a real
 * fleet each host spends on its own processor, here all on this machine's.
 *
 * <pre>java -Ddemi.fixtures=../shared/fixtures -cp bench/target/benchmarks.jar org.demi.bench.DeliveryFleet [HOSTS]</pre>
 * from the project's top directory (it runs {@code client/}'s programs). Needs openssh-server,
 * rsync and apt. Run as root, it makes a system user with {@code /bin/sh} as its shell for the
 * hosts' side, as {@code demi-client}'s package makes {@code demi}, and removes it at the end
 * (root's own shell start-up, whatever its {@code .bashrc} does, is not what a host pays); run as
 * another user, that user is the hosts' side.
 */
public final class DeliveryFleet {
    private static final int CONCURRENCY = SshCollector.Settings.DEFAULT.concurrency();

    private DeliveryFleet() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path client = Path.of("client").toAbsolutePath();
        if (!Files.isRegularFile(client.resolve("demi-client"))) {
            throw new IllegalStateException("run from the project's top directory: no client/demi-client here");
        }
        Path tmp = Files.createTempDirectory("demi-delivery");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        boolean root = System.getProperty("user.name").equals("root");
        String user = root ? "demi-bench" : System.getProperty("user.name");
        if (root) {
            run(List.of("useradd", "--system", "--no-create-home", "--home-dir", tmp.resolve("hosts").toString(),
                    "--shell", "/bin/sh", "--password", "*", user)); // no password, and not locked (sshd refuses locked accounts)
        }
        List<DeliveryFile> tree = tree(tmp.resolve("source"));
        long treeBytes = tree.stream().mapToLong(DeliveryFile::size).sum();

        // One sshd; the host side picks its tree by the address the relay connects from.
        Path sshdDir = tmp.resolve("sshd");
        Files.createDirectories(sshdDir);
        Files.createDirectories(Path.of("/run/sshd"));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", sshdDir.resolve("host_key").toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp.resolve("rsync_key").toString()));
        SshIdentity identity = SshIdentity.loadOrCreate(tmp.resolve("keys"));
        Path aptConf = tmp.resolve("apt.conf");
        Files.writeString(aptConf, "Acquire::Check-Valid-Until \"false\";\n");
        Path hostSide = tmp.resolve("host-side");
        Files.writeString(hostSide, String.join("\n",
                "set -- $SSH_CONNECTION",
                "h=" + tmp.resolve("hosts") + "/$1",
                "export DEMI_CLIENT_HOME=$h DEMI_CLIENT_REPO=$h/repo DEMI_INVENTORY_CLIENT=" + client.resolve("demi-client")
                        + " APT_CONFIG=" + aptConf,
                "exec sh " + client.resolve("demi-inventory"), ""));
        Files.writeString(sshdDir.resolve("authorized_keys"),
                "restrict,command=\"sh " + hostSide + "\" " + identity.publicKey() + "\n"
                + Files.readString(tmp.resolve("rsync_key.pub")));
        int sshdPort = freePort();
        Files.writeString(sshdDir.resolve("sshd_config"), String.join("\n",
                "Port " + sshdPort, "ListenAddress 127.0.0.1", "HostKey " + sshdDir.resolve("host_key"),
                "PidFile " + sshdDir.resolve("sshd.pid"), "AuthorizedKeysFile " + sshdDir.resolve("authorized_keys"),
                "StrictModes no", "UsePAM no", "PermitRootLogin prohibit-password", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "LogLevel ERROR", "MaxStartups 300", ""));
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", sshdDir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(sshdDir.resolve("sshd.log").toFile()).start();
        AtomicLong wire = new AtomicLong();
        List<Relay> relays = new ArrayList<>();
        try {
            Files.createDirectories(tmp.resolve("hosts"));
            Files.createDirectories(tmp.resolve("rsync"));
            run(List.of("chown", user, tmp.resolve("hosts").toString(), tmp.resolve("rsync").toString()));
            waitForPort(sshdPort);
            for (int i = 0; i < hosts; i++) {
                relays.add(new Relay(InetAddress.getByName("127.0.0." + (2 + i)), sshdPort, wire));
            }
            String hostKey = Files.readString(sshdDir.resolve("host_key.pub")).strip();
            Path knownHosts = tmp.resolve("known_hosts");
            Files.writeString(knownHosts, "bench " + hostKey + "\n");
            KnownHosts known = new KnownHosts(tmp.resolve("demi_known_hosts"));
            String[] k = hostKey.split("\\s+");
            KnownHosts.Key key = new KnownHosts.Key(k[0], java.util.Base64.getDecoder().decode(k[1]));
            Map<HostSpec, List<DeliveryFile>> trees = new LinkedHashMap<>();
            for (int i = 0; i < hosts; i++) {
                HostSpec h = new HostSpec("h" + i, "127.0.0.1", relays.get(i).port(), user, List.of(), CollectMethod.SSH);
                known.trust(KnownHosts.hostId(h.address(), h.port()), key);
                trees.put(h, tree);
            }

            System.out.printf("delivery to %d hosts over one sshd on loopback, %d at a time; the tree: %d files, %,d bytes a host%n",
                    hosts, CONCURRENCY, tree.size(), treeBytes);
            System.out.printf("%-30s %9s %12s %16s %16s%n", "", "wall s", "hosts' CPU s", "payload B/host", "wire B/host");
            try (SshCollector ssh = new SshCollector(identity, known, SshCollector.Settings.DEFAULT)) {
                for (String phase : List.of("first", "unchanged")) {
                    long w0 = wire.get();
                    double c0 = hostsCpu(sshd);
                    long t0 = System.nanoTime();
                    Map<String, SshCollector.DeliveryAttempt> attempts = ssh.deliverAll(trees);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long payload = 0;
                    for (Map.Entry<String, SshCollector.DeliveryAttempt> a : attempts.entrySet()) {
                        if (a.getValue().failure() != null) {
                            throw new IllegalStateException(a.getKey() + ": " + a.getValue().failure());
                        }
                        int want = phase.equals("first") ? tree.size() : 0;
                        if (a.getValue().delivered().sent() != want) {
                            throw new IllegalStateException(a.getKey() + ": sent " + a.getValue().delivered().sent() + ", not " + want);
                        }
                        payload += a.getValue().delivered().bytes();
                    }
                    row("demi deliver, " + phase, seconds, hostsCpu(sshd) - c0, payload / hosts, (wire.get() - w0) / hosts);

                    w0 = wire.get();
                    c0 = hostsCpu(sshd);
                    t0 = System.nanoTime();
                    long rsyncPayload = rsyncAll(tmp, user, relays, knownHosts);
                    seconds = (System.nanoTime() - t0) / 1e9;
                    row("rsync -a over ssh, " + phase, seconds, hostsCpu(sshd) - c0, rsyncPayload / hosts, (wire.get() - w0) / hosts);
                }
            }
            // Both left every host the same files.
            for (int i = 0; i < hosts; i++) {
                for (DeliveryFile f : tree) {
                    Path demi = tmp.resolve("hosts/127.0.0." + (2 + i) + "/repo").resolve(f.path());
                    Path copied = tmp.resolve("rsync/h" + i).resolve(f.path());
                    if (Files.mismatch(demi, f.source()) != -1 || Files.mismatch(copied, f.source()) != -1) {
                        throw new IllegalStateException("host " + i + ": " + f.path() + " differs");
                    }
                }
            }
        } finally {
            relays.forEach(Relay::close);
            sshd.destroy();
            sshd.waitFor(10, TimeUnit.SECONDS);
            if (root) {
                run(List.of("userdel", user));
            }
            run(List.of("rm", "-rf", tmp.toString()));
        }
    }

    private static void row(String what, double seconds, double cpu, long payload, long wire) {
        System.out.printf("%-30s %9.2f %12.2f %,16d %,16d%n", what, seconds, cpu, payload, wire);
    }

    /**
     * The CPU time the hosts' side has spent so far (sshd's per-connection processes, the shells,
     * demi-client and its apt, rsync's receiving end): the time of the sshd's children it has
     * reaped, from {@code /proc}, in seconds (at 100 ticks a second), once the last ones ended.
     */
    private static double hostsCpu(Process sshd) throws Exception {
        Thread.sleep(500);
        String stat = Files.readString(Path.of("/proc/" + sshd.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
    }

    /** The delivered tree, laid out for rsync under {@code dir} as the hosts hold it. */
    private static List<DeliveryFile> tree(Path dir) throws Exception {
        String[][] files = {
            {"debian/dists/bookworm/InRelease", "archive/bookworm/InRelease"},
            {"debian/dists/bookworm/main/binary-amd64/Packages.xz", "archive/bookworm/main/binary-amd64/Packages.xz"},
            {"debian/pool/main/d/distro-info-data/distro-info-data_0.58+deb12u7_all.deb",
                "archive/bookworm/pool/main/d/distro-info-data/distro-info-data_0.58+deb12u7_all.deb"},
            {"debian/pool/main/d/debian-security-support/debian-security-support_12+2026.06.30_all.deb",
                "archive/bookworm/pool/main/d/debian-security-support/debian-security-support_12+2026.06.30_all.deb"},
            {"debian-security/dists/bookworm-security/InRelease", "archive/bookworm-security/InRelease"},
            {"debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz",
                "archive/bookworm-security/main/binary-amd64/Packages.xz"},
        };
        List<DeliveryFile> tree = new ArrayList<>();
        for (String[] f : files) {
            byte[] b = BenchFixtures.raw(f[1]);
            Path copy = dir.resolve(f[0]);
            Files.createDirectories(copy.getParent());
            Files.write(copy, b);
            tree.add(new DeliveryFile(f[0], HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)), b.length, copy));
        }
        return tree;
    }

    private static final Pattern RSYNC_TOTAL = Pattern.compile("(?m)^Total bytes (?:sent|received): ([0-9,]+)$");

    /** rsync to every host, as many at once as Demi delivers; the bytes rsync says it sent and received. */
    private static long rsyncAll(Path tmp, String user, List<Relay> relays, Path knownHosts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int i = 0; i < relays.size(); i++) {
                Path dest = tmp.resolve("rsync/h" + i);
                int port = relays.get(i).port();
                done.add(pool.submit(() -> {
                    String ssh = "ssh -F none -p " + port + " -i " + tmp.resolve("rsync_key") + " -o BatchMode=yes -o HostKeyAlias=bench"
                            + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + knownHosts;
                    String out = run(List.of("rsync", "-a", "--stats", "-e", ssh, tmp.resolve("source") + "/", user + "@127.0.0.1:" + dest + "/"));
                    long bytes = 0;
                    Matcher m = RSYNC_TOTAL.matcher(out);
                    while (m.find()) {
                        bytes += Long.parseLong(m.group(1).replace(",", ""));
                    }
                    return bytes;
                }));
            }
            long total = 0;
            for (Future<Long> f : done) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + ": " + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd did not start on port " + port);
    }

    /**
     * One host's address: a loopback port whose connections go on to the sshd from the host's own
     * loopback address (so the sshd tells the hosts apart), counting every byte both ways.
     */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket server;

        Relay(InetAddress from, int sshdPort, AtomicLong wire) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket();
                        out.bind(new InetSocketAddress(from, 0));
                        out.connect(new InetSocketAddress("127.0.0.1", sshdPort));
                        pump(in, out, wire);
                        pump(out, in, wire);
                    } catch (IOException e) {
                        if (!server.isClosed()) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            }, "relay-" + from.getHostAddress());
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to, AtomicLong wire) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        wire.addAndGet(n);
                    }
                } catch (IOException e) {
                    // The other direction closing the pair ends this one too; anything else is a fault.
                    if (!from.isClosed() && !to.isClosed()) {
                        throw new java.io.UncheckedIOException(e);
                    }
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
