package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RevalidatedTest {
    @Test
    void anAnswerIsKeptForItsIndexVersionAndComputedAnewAfterAChange() throws Exception {
        Revalidated<String, String> r = new Revalidated<>(4);
        AtomicInteger computed = new AtomicInteger();
        assertThat(r.get("k", 1, () -> "a" + computed.incrementAndGet())).isEqualTo("a1");
        assertThat(r.get("k", 1, () -> "a" + computed.incrementAndGet())).as("same version: kept").isEqualTo("a1");
        // Nobody else computing: the caller after a change gets the current answer, never the old one.
        assertThat(r.get("k", 2, () -> "a" + computed.incrementAndGet())).isEqualTo("a2");
        assertThat(r.get("other", 2, () -> "b")).isEqualTo("b");
        assertThat(computed).hasValue(2);
    }

    @Test
    void whileOneCallerComputesTheChangedAnswerTheOthersGetTheLastOneAtOnce() throws Exception {
        Revalidated<String, String> r = new Revalidated<>(4);
        r.get("k", 1, () -> "old");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = pool.submit(() -> r.get("k", 2, () -> {
                started.countDown();
                await(release);
                return "new";
            }));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicInteger computed = new AtomicInteger();
            assertThat(r.get("k", 2, () -> "again" + computed.incrementAndGet())).as("not a second computation").isEqualTo("old");
            assertThat(computed).hasValue(0);
            release.countDown();
            assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo("new");
            assertThat(r.get("k", 2, () -> "again")).isEqualTo("new");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withNothingToGiveYetCallersWaitForTheOneComputation() throws Exception {
        Revalidated<String, String> r = new Revalidated<>(4);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger computed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> r.get("k", 1, () -> {
                started.countDown();
                await(release);
                return "v" + computed.incrementAndGet();
            }));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            Future<String> second = pool.submit(() -> r.get("k", 1, () -> "v" + computed.incrementAndGet()));
            Thread.sleep(100);
            assertThat(second.isDone()).as("waits rather than answering nothing").isFalse();
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
            assertThat(computed).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedComputationLeavesNothingBehindAndIsTriedAgain() throws Exception {
        Revalidated<String, String> r = new Revalidated<>(4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.get("k", 1, () -> {
            throw new java.io.IOException("disk");
        })).hasMessage("disk");
        assertThat(r.get("k", 1, () -> "fine")).isEqualTo("fine");
    }

    private static void await(CountDownLatch latch) throws java.io.IOException {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
