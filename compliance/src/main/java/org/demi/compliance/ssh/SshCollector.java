package org.demi.compliance.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.HistoryEntry;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.inventory.InventoryException;
import org.demi.compliance.inventory.InventoryReader;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.compliance.inventory.Outcome;

/**
 * Pulls inventories over SSH with JSch: logs in with the server's key, checks the host's key
 * against the server's known_hosts (unknown or changed: refused, nothing read), and asks for
 * the inventory with the checksum of the one it holds, so an unchanged host answers with one
 * short line. Every host has a
 * connect timeout and an overall deadline after which its session is cut, so a dead, hanging
 * or refusing host never holds up the others longer than that; hosts are collected a bounded
 * number at a time. Every attempt ends as one history entry for that host alone.
 */
public final class SshCollector implements AutoCloseable {
    /**
     * @param program the inventory program's name on the hosts, as sent in the request (the
     *     forced command of the server's key decides what actually runs)
     */
    public record Settings(Duration connectTimeout, Duration hostDeadline, int concurrency, String program) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(120), 16, "demi-inventory");
    }

    /**
     * Key exchanges offered, without sntrup761: with Bouncy Castle on the class path JSch would
     * generate an sntrup761 key at every connect (to check that it works), about 200 ms of CPU
     * in pure Java, as measured by bench/compliance: at a fleet's scale, the whole cost of a
     * sweep. curve25519-sha256 leads, as in OpenSSH before 9.0.
     */
    static final String KEX = "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
            + "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
            + "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";

    private final SshIdentity identity;
    private final KnownHosts knownHosts;
    private final Settings settings;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ssh-deadline");
        t.setDaemon(true);
        return t;
    });

    public SshCollector(SshIdentity identity, KnownHosts knownHosts, Settings settings) {
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.settings = settings;
    }

    /** Collects every host, {@code concurrency} at a time; the entries come back in the hosts' order. */
    public Map<String, HistoryEntry> collectAll(List<HostSpec> hosts, InventoryStore store) throws IOException {
        return eachHost(hosts, h -> collect(h, store));
    }

    /** What one host's delivery came to: what it took, or why it took nothing (exactly one of the two). */
    public record DeliveryAttempt(Delivered delivered, String failure) {
    }

    /**
     * Delivers each host its tree, {@code concurrency} at a time, as collections go; the attempts
     * come back in the hosts' order, one host's failure never stopping the others.
     */
    public Map<String, DeliveryAttempt> deliverAll(Map<HostSpec, List<DeliveryFile>> trees) throws IOException {
        return eachHost(List.copyOf(trees.keySet()), h -> {
            try {
                return new DeliveryAttempt(deliver(h, trees.get(h)), null);
            } catch (IOException e) {
                return new DeliveryAttempt(null, e.getMessage());
            }
        });
    }

    /** What is done for one host by {@link #eachHost}: it reports what the host does, it throws only for the server's own faults. */
    private interface PerHost<T> {
        T run(HostSpec h) throws IOException;
    }

    private <T> Map<String, T> eachHost(List<HostSpec> hosts, PerHost<T> work) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.concurrency(), hosts.size())));
        try {
            Map<String, Future<T>> futures = new LinkedHashMap<>();
            for (HostSpec h : hosts) {
                futures.put(h.host(), pool.submit(() -> work.run(h)));
            }
            Map<String, T> out = new LinkedHashMap<>();
            for (Map.Entry<String, Future<T>> f : futures.entrySet()) {
                try {
                    out.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    throw new IOException(f.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One host: never throws for what the host does; the outcome is recorded and returned. */
    public HistoryEntry collect(HostSpec h, InventoryStore store) throws IOException {
        KnownHosts.Probe probe = knownHosts.probe();
        AtomicBoolean cut = new AtomicBoolean();
        try {
            return connected(h, probe, cut, settings.hostDeadline().toMillis(), s -> {
                // One round trip: the host answers "unchanged SHA256" when its inventory is the one we hold.
                Optional<String> known = store.latestChecksum(h.host());
                byte[] stream = exec(s, settings.program() + known.map(c -> " --if-changed " + c).orElse(""),
                        InventoryReader.MAX_COMPRESSED);
                if (known.isPresent() && stream.length < 100 && new String(stream, StandardCharsets.US_ASCII).strip()
                        .equals("unchanged " + known.get())) {
                    Optional<HistoryEntry> unchanged = store.confirmUnchanged(h.host(), "ssh", known.get());
                    if (unchanged.isPresent()) {
                        return unchanged.get();
                    }
                }
                Inventory inventory;
                try {
                    inventory = InventoryReader.read(new ByteArrayInputStream(stream));
                } catch (InventoryException e) {
                    return store.fail(h.host(), "ssh", Outcome.REJECTED, e.getMessage());
                }
                return store.accept(h.host(), "ssh", inventory);
            });
        } catch (JSchException | IOException e) {
            return store.fail(h.host(), "ssh", cut.get() ? Outcome.UNREACHABLE : classify(e, probe),
                    cut.get() ? "no complete answer within " + settings.hostDeadline().toSeconds() + " s" : describe(h, e, probe));
        } catch (TooMuch e) {
            return store.fail(h.host(), "ssh", Outcome.REJECTED, e.getMessage());
        }
    }

    /** What is done with a host's session once it is connected. */
    private interface Work<T> {
        T run(Session s) throws JSchException, IOException, TooMuch;
    }

    /**
     * Connects to the host, checking its key with {@code probe}, and runs {@code work} within
     * {@code allowedMillis}: past that the session is cut (and {@code cut} set), whatever the
     * host does. The session ends with the work.
     */
    private <T> T connected(HostSpec h, KnownHosts.Probe probe, AtomicBoolean cut, long allowedMillis, Work<T> work)
            throws JSchException, IOException, TooMuch {
        Session session = null;
        ScheduledFuture<?> deadline = null;
        try {
            session = open(h, probe);
            Session s = session;
            deadline = watchdog.schedule(() -> {
                cut.set(true);
                s.disconnect();
            }, allowedMillis, TimeUnit.MILLISECONDS);
            s.connect((int) settings.connectTimeout().toMillis());
            return work.run(s);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (session != null) {
                session.disconnect();
            }
        }
    }

    /**
     * What a delivery did: the files of the tree, how many of them were sent (the host held the
     * rest), the bytes of the exchange both ways (the host's lists, the server's answer and
     * archive), and the host's own last word.
     */
    public record Delivered(int files, int sent, long bytes, String answer) {
    }

    /**
     * Delivers a tree to a host over SSH, through its forced command's {@code receive} request:
     * the host says what it holds (its tree's MANIFEST), then takes one tar archive with the new
     * MANIFEST and only the files it lacks, checks them all and swaps its tree whole.
     *
     * @throws IOException with the reason (unreachable, refused, or what the host found wrong)
     */
    public Delivered deliver(HostSpec h, List<DeliveryFile> tree) throws IOException {
        KnownHosts.Probe probe = knownHosts.probe();
        AtomicBoolean cut = new AtomicBoolean();
        long total = tree.stream().mapToLong(DeliveryFile::size).sum();
        // The host deadline, and time for the bytes at 32 KiB/s at the least.
        long allowed = settings.hostDeadline().toMillis() + total / 32;
        try {
            return connected(h, probe, cut, allowed, s -> receive(s, tree));
        } catch (JSchException | IOException | TooMuch e) {
            throw new IOException(cut.get() ? "no complete answer within " + allowed / 1000 + " s" : describe(h, e, probe), e);
        }
    }

    private Delivered receive(Session s, List<DeliveryFile> tree) throws JSchException, IOException {
        String command = settings.program() + " receive";
        ChannelExec ch = (ChannelExec) s.openChannel("exec");
        try {
            ch.setCommand(command);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setErrStream(err);
            InputStream in = ch.getInputStream();
            java.io.OutputStream toHost = ch.getOutputStream();
            ch.connect((int) settings.connectTimeout().toMillis());
            Delivered d = ReceiveExchange.run(in, toHost, tree, () -> errText(err));
            if (exitStatus(s, ch, command) != 0) {
                throw new IOException("the host refused the delivery" + errText(err));
            }
            return d;
        } finally {
            ch.disconnect();
        }
    }

    /** Waits for the request to end and gives its exit status; an error when the connection ended first. */
    private static int exitStatus(Session s, ChannelExec ch, String command) throws IOException {
        while (!ch.isClosed() && s.isConnected()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        if (!s.isConnected() && !ch.isClosed()) {
            throw new IOException("the connection ended during '" + command + "'");
        }
        return ch.getExitStatus();
    }

    private static String errText(ByteArrayOutputStream err) {
        String e = err.toString(StandardCharsets.UTF_8).strip().replaceAll("[^\\x20-\\x7e]", "?");
        // Room for the host's whole reason (apt's own words when it refused what it was sent).
        return e.isEmpty() ? "" : ": " + (e.length() > 480 ? e.substring(0, 480) + "..." : e);
    }

    /** The key the host presents, for {@code demi hosts trust}; the connection ends right after key exchange. */
    public KnownHosts.Key presentedKey(HostSpec h) throws IOException {
        KnownHosts.Probe probe = knownHosts.probe();
        Session s = null;
        try {
            s = open(h, probe);
            s.connect((int) settings.connectTimeout().toMillis());
        } catch (JSchException e) {
            if (probe.presented == null) {
                throw new IOException(h.host() + ": " + describe(h, e, probe), e);
            }
        } finally {
            if (s != null) {
                s.disconnect();
            }
        }
        return probe.presented;
    }

    private Session open(HostSpec h, KnownHosts.Probe probe) throws JSchException {
        JSch jsch = new JSch();
        jsch.addIdentity("demi", identity.privateKey(), null, null);
        jsch.setHostKeyRepository(probe);
        Session s = jsch.getSession(h.user(), h.address(), h.port());
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("PreferredAuthentications", "publickey");
        s.setConfig("kex", KEX);
        // JSch tries out every kex of CheckKexes at each connect, sntrup761 included: check none.
        s.setConfig("CheckKexes", "");
        s.setTimeout((int) settings.connectTimeout().toMillis());
        return s;
    }

    /** Runs one request and reads its output, at most {@code max} bytes; a non-zero exit is an error. */
    private byte[] exec(Session s, String command, long max) throws JSchException, IOException, TooMuch {
        ChannelExec ch = (ChannelExec) s.openChannel("exec");
        try {
            ch.setCommand(command);
            ch.setInputStream(null);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setErrStream(err);
            InputStream in = ch.getInputStream();
            ch.connect((int) settings.connectTimeout().toMillis());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > max) {
                    throw new TooMuch("the host sent more than " + max + " bytes for '" + command + "'");
                }
            }
            int status = exitStatus(s, ch, command);
            if (status != 0) {
                throw new IOException("'" + command + "' exited with " + status + errText(err));
            }
            return out.toByteArray();
        } finally {
            ch.disconnect();
        }
    }

    private static Outcome classify(Exception e, KnownHosts.Probe probe) {
        if (probe.result == KnownHosts.Check.UNKNOWN || probe.result == KnownHosts.Check.CHANGED) {
            return Outcome.REFUSED;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Auth fail") || m.contains("Auth cancel") || m.contains("exited with")) {
            return Outcome.REFUSED;
        }
        return Outcome.UNREACHABLE;
    }

    private static String describe(HostSpec h, Exception e, KnownHosts.Probe probe) {
        String where = h.user() + "@" + KnownHosts.hostId(h.address(), h.port());
        if (probe.result == KnownHosts.Check.CHANGED) {
            return "HOST KEY CHANGED for " + where + ": it presented " + probe.presented.type() + " "
                    + probe.presented.fingerprint() + ", known_hosts has another; nothing was collected. If the change is "
                    + "expected, check the new key out of band, then: demi hosts trust " + h.host() + " --replace";
        }
        if (probe.result == KnownHosts.Check.UNKNOWN) {
            return "unknown host key " + probe.presented.type() + " " + probe.presented.fingerprint() + " for " + where
                    + "; if it is the host's, run: demi hosts trust " + h.host();
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Auth fail") || m.contains("Auth cancel")) {
            return "the server's key was not accepted for " + where + " (is it in that account's authorized_keys?)";
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return where + ": " + printable(detail);
    }

    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 200 ? p.substring(0, 200) + "..." : p;
    }

    /** More output than the request may produce. */
    private static final class TooMuch extends Exception {
        TooMuch(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
