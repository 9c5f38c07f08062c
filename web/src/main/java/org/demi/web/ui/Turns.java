package org.demi.web.ui;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Pages made in turn, twice as many at once as the machine has cores, the others waiting first
 * come, first served. A page is made of CPU almost alone (the index's files are in memory): many
 * more pages at once than cores only share them, each taking as long as all of them together,
 * and their working sets crowd each other out of the processor's caches. Twice the cores keeps
 * every core busy while a page waits on the disk (a host's history) or the collector; exactly the
 * cores left them idle then (FleetLoad at 10,000 hosts, 8 clients: a quarter fewer answers than
 * with no turns at all). A page that waits longer than the patience is refused, so that a flood
 * of questions is told "busy" instead of piling up.
 */
final class Turns {
    private final Semaphore turns;
    private final Duration patience;

    Turns(int atOnce, Duration patience) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("at least one page at once, not " + atOnce);
        }
        this.turns = new Semaphore(atOnce, true);
        this.patience = patience;
    }

    /** Twice as many at once as the machine has cores. */
    static Turns perCore(Duration patience) {
        return new Turns(2 * Runtime.getRuntime().availableProcessors(), patience);
    }

    /** Waits for a turn; false when none came within the patience (the caller must then not {@link #leave}). */
    boolean take() throws InterruptedException {
        return turns.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Gives a turn taken back. */
    void leave() {
        turns.release();
    }
}
