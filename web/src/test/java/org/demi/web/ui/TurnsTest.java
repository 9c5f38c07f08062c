package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pages are made two at a time when there are two turns, in the order they came, and one that waits too long is refused. */
class TurnsTest {
    @Test
    void neverMoreAtOnceThanTurnsAndInTheOrderAsked() throws Exception {
        Turns turns = new Turns(2, Duration.ofSeconds(30));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> began = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // Two take the turns and hold them; six more queue up, one by one, in a known order.
            List<Future<?>> pages = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int page = i;
                pages.add(pool.submit(() -> {
                    assertThat(turns.take()).isTrue();
                    try {
                        began.add(page);
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        if (page < 2) {
                            release.await();
                        } else {
                            Thread.sleep(5);
                        }
                        inside.decrementAndGet();
                    } finally {
                        turns.leave();
                    }
                    return null;
                }));
                while (page >= 2 && began.size() < 2) {
                    Thread.sleep(1);
                }
                Thread.sleep(20); // each waiter in the queue before the next asks
            }
            assertThat(began).as("only the first two began while they held their turns").containsExactlyInAnyOrder(0, 1);
            release.countDown();
            for (Future<?> f : pages) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(began.subList(2, 8)).as("first come, first served").containsExactly(2, 3, 4, 5, 6, 7);
    }

    @Test
    void aPageThatWaitsLongerThanThePatienceIsRefused() throws Exception {
        Turns turns = new Turns(1, Duration.ofMillis(100));
        assertThat(turns.take()).isTrue();
        long t0 = System.nanoTime();
        assertThat(turns.take()).as("the one turn is held").isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        turns.leave();
        assertThat(turns.take()).as("given back, it is taken again").isTrue();
        assertThatThrownBy(() -> new Turns(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
