package org.demi.web.mirror;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.store.Snapshot;
import org.demi.mirror.sync.MirrorState;
import org.demi.mirror.sync.SuiteStatus;

/**
 * One suite's state as {@code demi mirror status} and the web's mirror page show it; the JSON
 * output is these fields. {@code tree} says whether the published tree still matches its
 * snapshot's manifest: {@code whole}, or what is wrong with it.
 */
public record MirrorStatus(String upstream, String uri, String suite, String pool, String publish, String snapshot,
        String tree, String lastAttempt, String outcome, String date, String validUntil, List<String> signers,
        int indexFiles, long indexBytes, int poolFiles, long poolBytes, String error) {

    /** The suites' states, read when they are asked for (the mirror page, a scrape, a notification round). */
    public interface Source {
        List<MirrorStatus> rows() throws IOException;
    }

    /** Every configured suite of these upstreams, in their order. */
    public static List<MirrorStatus> of(org.demi.mirror.store.MirrorStore store, Map<String, Upstream> upstreams) throws IOException {
        MirrorState state = new MirrorState(store.stateDir());
        List<MirrorStatus> rows = new ArrayList<>();
        for (Upstream u : upstreams.values()) {
            Optional<Snapshot> published = store.published(u.name());
            String snapshot = published.map(Snapshot::id).orElse(null);
            String tree = published.map(p -> tree(store.damage(p))).orElse(null);
            List<SuiteStatus> statuses = state.status(u.name());
            for (var suite : u.suites()) {
                rows.add(of(u, suite.suite(), snapshot, tree, statuses.stream().filter(x -> x.suite().equals(suite.suite())).findFirst()));
            }
        }
        return rows;
    }

    private static String tree(List<String> damage) {
        return damage.isEmpty() ? "whole" : "DAMAGED, fails its manifest: " + damage.size() + " file(s), first: " + damage.get(0)
                + "; the next sync repairs it";
    }

    static MirrorStatus of(Upstream u, String suite, String snapshot, String tree, Optional<SuiteStatus> status) {
        String pool = u.pool().label();
        String publish = u.publish().name().toLowerCase(Locale.ROOT);
        if (status.isEmpty()) {
            return new MirrorStatus(u.name(), u.uri().toString(), suite, pool, publish, snapshot, tree, null, "never synced", null, null,
                    List.of(), 0, 0, 0, 0, null);
        }
        SuiteStatus s = status.get();
        return new MirrorStatus(u.name(), u.uri().toString(), suite, pool, publish, snapshot, tree, text(s.attempted()), s.outcome().word(),
                text(s.date()), text(s.validUntil()), s.signers(), s.indexFiles(), s.indexBytes(), s.poolFiles(), s.poolBytes(),
                s.error());
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
