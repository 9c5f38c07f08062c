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
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pages are made two at a time when there are two turns, in the order they came, and one that waits too long is refused. */
@Timeout(120)
class TurnsTest {
    @Test
    void neverMoreAtOnceThanTurns() throws Exception {
        Result twoTurns = queue(2, 8);
        assertThat(twoTurns.most()).isEqualTo(2);
        assertThat(twoTurns.began().subList(2, 8)).as("every waiter had its turn").containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7);
    }

    @Test
    void firstComeFirstServed() throws Exception {
        // With one turn, a waiter can only begin after the one before it has left: the order in
        // which they began is the order in which the turns were given, with no race to record it.
        Result oneTurn = queue(1, 7);
        assertThat(oneTurn.most()).isEqualTo(1);
        assertThat(oneTurn.began()).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    private record Result(List<Integer> began, int most) {}

    /** Pages 0 … count-1 ask one by one, in a known order; the first {@code atOnce} hold their turns until all others queue. */
    private static Result queue(int atOnce, int count) throws Exception {
        Turns turns = new Turns(atOnce, Duration.ofSeconds(30));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> began = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(count);
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> pages = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int page = i;
                pages.add(pool.submit(() -> {
                    threads.set(page, Thread.currentThread());
                    assertThat(turns.take()).isTrue();
                    try {
                        began.add(page);
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        if (page < atOnce) {
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
                if (page < atOnce) {
                    within(() -> began.size() > page, "page " + page + " takes its turn");
                } else {
                    // A thread parks in a timed take only once it is queued. (The semaphore's queue
                    // length, an estimate, once stayed short of a waiter it held, and the test waited for good.)
                    within(() -> threads.get(page) != null && threads.get(page).getState() == Thread.State.TIMED_WAITING,
                            "page " + page + " waits for its turn");
                }
            }
            assertThat(began).as("only the first ones began while they held their turns").hasSize(atOnce);
            release.countDown();
            for (Future<?> f : pages) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(List.copyOf(began), most.get());
    }

    /** Waits until {@code done}, failing after 10 s instead of waiting for good. */
    private static void within(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(1);
        }
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
