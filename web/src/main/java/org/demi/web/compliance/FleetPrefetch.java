package org.demi.web.compliance;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.compliance.evaluation.Available;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.PackageEvaluation;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.mirror.source.PoolPolicy;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.sync.OnDemandPool;

/**
 * The {@code fleet} pool policy: after an evaluation, fetch (and verify, as every on-demand
 * file is) exactly the .deb files the managed hosts need to reach their candidate versions,
 * from the upstreams whose policy is {@code fleet}.
 */
public final class FleetPrefetch {
    private FleetPrefetch() {
    }

    /** What was done: files wanted, already present or fetched, and those that failed. */
    public record Result(int wanted, int present, int failed) {
    }

    /** The evaluator to judge the hosts by; asked for only when some upstream's policy is {@code fleet}. */
    public interface Judge {
        Evaluator evaluator() throws IOException;
    }

    public static Result run(Judge judge, InventoryStore inventories, Map<String, Upstream> upstreams, OnDemandPool pool,
            List<HostSpec> hosts, PrintWriter log) throws IOException {
        if (upstreams.values().stream().noneMatch(u -> u.pool() == PoolPolicy.FLEET)) {
            return new Result(0, 0, 0);
        }
        Evaluator evaluator = judge.evaluator();
        Map<String, Available> wanted = new LinkedHashMap<>();
        for (HostSpec h : hosts) {
            Optional<InventoryStore.Stored> latest = inventories.latest(h.host());
            if (latest.isEmpty()) {
                continue;
            }
            HostEvaluation e = evaluator.evaluate(h.host(), latest.get().inventory());
            ReleaseArchive archive = e.release().flatMap(evaluator::archive).orElse(null);
            if (archive == null) {
                continue;
            }
            for (PackageEvaluation p : e.packages()) {
                if (!p.state().hasUpdate()) {
                    continue;
                }
                archive.offered(p.packageName(), p.architecture(), p.newest(), e.nativeArchitecture())
                        .filter(a -> upstreams.containsKey(a.origin()) && upstreams.get(a.origin()).pool() == PoolPolicy.FLEET)
                        .filter(a -> a.filename().startsWith("pool/"))
                        .ifPresent(a -> wanted.putIfAbsent(a.origin() + "/" + a.filename(), a));
            }
        }
        int present = 0;
        int failed = 0;
        for (Available a : wanted.values()) {
            try {
                if (pool.ensure(a.origin(), a.filename()).isPresent()) {
                    present++;
                } else {
                    failed++;
                    log.println("demi: fleet: " + a.origin() + "/" + a.filename() + " is not named by the published indices");
                }
            } catch (IOException | RuntimeException ex) {
                failed++;
                log.println("demi: fleet: " + a.origin() + "/" + a.filename() + ": " + ex.getMessage());
            }
        }
        log.println("fleet: " + wanted.size() + " pool file(s) the hosts need, " + present + " on the server"
                + (failed == 0 ? "" : ", " + failed + " failed"));
        log.flush();
        return new Result(wanted.size(), present, failed);
    }
}
