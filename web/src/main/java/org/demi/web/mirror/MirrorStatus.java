package org.demi.web.mirror;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.demi.mirror.source.Upstream;
import org.demi.mirror.sync.MirrorState;
import org.demi.mirror.sync.SuiteStatus;

/** One suite's state as {@code demi mirror status} and the web's mirror page show it; the JSON output is these fields. */
public record MirrorStatus(String upstream, String uri, String suite, String pool, String publish, String snapshot,
        String lastAttempt, String outcome, String date, String validUntil, List<String> signers,
        int indexFiles, long indexBytes, int poolFiles, long poolBytes, String error) {

    /** Every configured suite of these upstreams, in their order. */
    public static List<MirrorStatus> of(org.demi.mirror.store.MirrorStore store, Map<String, Upstream> upstreams) throws IOException {
        MirrorState state = new MirrorState(store.stateDir());
        List<MirrorStatus> rows = new ArrayList<>();
        for (Upstream u : upstreams.values()) {
            String snapshot = store.published(u.name()).map(p -> p.id()).orElse(null);
            List<SuiteStatus> statuses = state.status(u.name());
            for (var suite : u.suites()) {
                rows.add(of(u, suite.suite(), snapshot, statuses.stream().filter(x -> x.suite().equals(suite.suite())).findFirst()));
            }
        }
        return rows;
    }

    static MirrorStatus of(Upstream u, String suite, String snapshot, Optional<SuiteStatus> status) {
        String pool = u.pool().label();
        String publish = u.publish().name().toLowerCase(Locale.ROOT);
        if (status.isEmpty()) {
            return new MirrorStatus(u.name(), u.uri().toString(), suite, pool, publish, snapshot, null, "never synced", null, null,
                    List.of(), 0, 0, 0, 0, null);
        }
        SuiteStatus s = status.get();
        return new MirrorStatus(u.name(), u.uri().toString(), suite, pool, publish, snapshot, text(s.attempted()), s.outcome().word(),
                text(s.date()), text(s.validUntil()), s.signers(), s.indexFiles(), s.indexBytes(), s.poolFiles(), s.poolBytes(),
                s.error());
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
