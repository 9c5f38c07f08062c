package org.demi.web.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.demi.mirror.fetch.Fetcher;
import org.demi.mirror.fetch.ProxySettings;
import org.demi.mirror.fetch.TransferLimits;
import org.demi.mirror.pgp.ServerKey;
import org.demi.mirror.pgp.SigningKey;
import org.demi.mirror.source.KeyringResolver;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.source.Upstreams;
import org.demi.mirror.store.MirrorStore;
import org.demi.mirror.sync.OnDemandPool;
import org.demi.mirror.sync.ReleaseGuard;
import org.demi.mirror.sync.Syncer;

/**
 * The mirror as the {@code demi} program configures it: upstreams from
 * {@code <config>/sources.list(.d)} or else this machine's apt sources, the data directory's
 * store, the system keyrings, apt's proxy, and the server's key under {@code <data>/keys}.
 */
public final class MirrorSetup {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    public static final int KEEP_SNAPSHOTS = 3;

    private final Path config;
    private final Path data;
    private final Path aptDir;
    private final Clock clock;
    private final MirrorStore store;
    private final ProxySettings proxy;
    private SigningKey serverKey;

    public MirrorSetup(org.demi.web.app.Configuration c) {
        this.config = c.configDir();
        this.data = c.dataDir();
        this.aptDir = c.aptDir();
        this.clock = c.clock();
        this.store = new MirrorStore(data, clock);
        this.proxy = ProxySettings.discover(System.getenv());
    }

    public MirrorStore store() {
        return store;
    }

    /** The upstreams by name; the machine's unusable apt entries are reported to {@code warnings}. */
    public Map<String, Upstream> upstreams(Consumer<String> warnings) throws IOException {
        Map<String, Upstream> out = new LinkedHashMap<>();
        for (Upstream u : Upstreams.load(config, aptDir, List.of(architecture()), warnings)) {
            out.put(u.name(), u);
        }
        return out;
    }

    public Fetcher fetcher(Upstream u) {
        return Fetcher.of(u.uri(), CONNECT_TIMEOUT, STALL_TIMEOUT, proxy);
    }

    public synchronized SigningKey serverKey() throws IOException {
        if (serverKey == null) {
            serverKey = ServerKey.loadOrCreate(data.resolve("keys"), clock);
        }
        return serverKey;
    }

    public Syncer syncer() throws IOException {
        return new Syncer(store, KeyringResolver.system(), clock, ReleaseGuard.DEFAULT, serverKey(), KEEP_SNAPSHOTS, TransferLimits.DEFAULT);
    }

    public OnDemandPool onDemand(Map<String, Upstream> upstreams) {
        return new OnDemandPool(store, upstreams, this::fetcher, TransferLimits.DEFAULT);
    }

    /** This machine's dpkg architecture ({@code dpkg --print-architecture}), or the JVM's guess. */
    static String architecture() {
        try {
            Process p = new ProcessBuilder("dpkg", "--print-architecture").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
        } catch (IOException e) {
            // not a dpkg system
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return switch (System.getProperty("os.arch")) {
            case "aarch64" -> "arm64";
            case "x86" -> "i386";
            default -> "amd64";
        };
    }

    /**
     * Makes sure the mirror holds {@code wanted}, the newest of a package of Debian's own data its
     * suites offer (distro-info-data's release dates, debian-security-support's lists), fetched,
     * verified and stored as any pool file a client asks for. Nothing happens for an upstream
     * whose pool policy fetches nothing on request; a failure is reported and the judgement stays
     * as it was.
     *
     * @param what what the package gives, for the messages ({@code release dates})
     * @return whether it was fetched now, so that the fleet is worth judging again
     */
    public boolean fetchFromPool(Map<String, Upstream> upstreams, java.util.Optional<org.demi.compliance.evaluation.Available> wanted,
            String what, java.io.PrintWriter out) {
        if (wanted.isEmpty() || wanted.get().origin().isEmpty()) {
            return false;
        }
        var c = wanted.get();
        var entry = store.published(c.origin()).flatMap(s -> s.poolFile(c.filename()));
        if (entry.isPresent() && store.pool().has(entry.get().sha256())) {
            return false;
        }
        try {
            boolean fetched = onDemand(upstreams).ensure(c.origin(), c.filename()).isPresent();
            if (fetched) {
                out.println(what + ": " + c.packageName() + " " + c.version() + " in the mirror");
            }
            return fetched;
        } catch (IOException | RuntimeException e) {
            out.println(what + ": " + c.filename() + " could not be fetched: " + e.getMessage());
            return false;
        } finally {
            out.flush();
        }
    }

    /** The packages of Debian's own data the evaluation reads from the mirror, and what each gives. */
    public static final Map<String, String> DEBIAN_DATA = Map.of(
            org.demi.web.compliance.ComplianceSetup.CALENDAR_PACKAGE, "release dates",
            org.demi.web.compliance.ComplianceSetup.SUPPORT_PACKAGE, "security support lists");

    /** {@link #fetchFromPool} for each of {@link #DEBIAN_DATA}; whether any was fetched now. */
    public boolean fetchDebianData(Map<String, Upstream> upstreams,
            java.util.function.Function<String, java.util.Optional<org.demi.compliance.evaluation.Available>> newest,
            java.io.PrintWriter out) {
        boolean any = false;
        for (Map.Entry<String, String> d : new java.util.TreeMap<>(DEBIAN_DATA).entrySet()) {
            any |= fetchFromPool(upstreams, newest.apply(d.getKey()), d.getValue(), out);
        }
        return any;
    }

    /** Writes the server's public key where the repository is served, for hosts to fetch. */
    public void publishServerKey() throws IOException {
        SigningKey k = serverKey();
        store.publishKey(k.publicArmored(), k.publicBinary());
    }
}
