package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.Verdict;
import org.demi.compliance.fleet.CveTimeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview's open-CVE figures, asked while refreshes run: a refresh opens a new reader and
 * then sets its figures, and the figures an ask gets must be those of the reader it searches
 * (between the two, an ask used to count every CVE document of the fleet again).
 */
class OpenCvesDuringRefreshTest {
    @Test
    void theFiguresAreAlwaysTheSearchedReadersWhileHostsComeAndGo(@TempDir Path tmp) throws Exception {
        HostEvaluation e = MinbaseHost.evaluate("min1", CveIndexTest.TRACKER);
        CveTimeline timeline = new CveTimeline(Map.of("CVE-2026-1001 openssl", Instant.parse("2026-11-20T10:00:00Z")), List.of());
        try (FleetIndex index = FleetIndex.open(tmp.resolve("index"))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger asked = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    while (writing.get()) {
                        OpenCves now = index.openCves();
                        // min1 is open to three CVEs: three while the reader holds it, none while not.
                        assertThat(now.cves()).isIn(0L, 3L);
                        asked.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            reader.start();
            try {
                for (int round = 0; round < 300 && failures.isEmpty(); round++) {
                    // A host written and removed in turn: every refresh opens a new reader with other figures.
                    if (round % 2 == 0) {
                        index.replaceHost(new IndexedHost("min1", List.of("web"), Verdict.NON_COMPLIANT, Optional.empty(), "c" + round,
                                Optional.of(e), "", timeline, List.of()));
                    } else {
                        index.removeHost("min1");
                    }
                    index.refresh();
                }
            } finally {
                writing.set(false);
                reader.join();
            }
            assertThat(failures).isEmpty();
            assertThat(asked.get()).as("asked while the refreshes ran").isGreaterThan(300);
            assertThat(index.openCves().cves()).isEqualTo(0);
        }
    }
}
