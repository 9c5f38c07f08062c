package org.demi.deb.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.demi.deb.Fixtures;
import org.demi.deb.compression.Compression;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.junit.jupiter.api.Test;

/**
 * Versions are shared between threads: an archive's candidates are compared by every
 * evaluation at once, and versions are keys of concurrent maps. A version builds its sort key
 * and hash on first use; these memos must be published so that another thread either sees
 * nothing yet (and builds its own) or the whole value.
 */
class SharedVersionsTest {

    /**
     * Every field set after construction is safe to read while another thread sets it: a
     * primitive {@code int} (read and written whole; any value one thread computed is right for
     * all), or an object whose own fields are all final (so a thread that sees the reference
     * sees the whole object). A plain array, as the sort key was, fails here: the Java memory
     * model lets another thread see the array's reference before its bytes.
     */
    @Test
    void everyLaterWrittenFieldIsSafeToReadWhileItIsWritten() {
        List<String> memos = new ArrayList<>();
        for (Field f : Version.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                continue;
            }
            memos.add(f.getName());
            if (f.getType() == int.class) {
                continue;
            }
            assertThat(f.getType().isArray()).as(f.getName()).isFalse();
            assertThat(f.getType().isPrimitive()).as(f.getName() + " is a primitive other than int").isFalse();
            for (Field inner : f.getType().getDeclaredFields()) {
                if (!Modifier.isStatic(inner.getModifiers())) {
                    assertThat(Modifier.isFinal(inner.getModifiers())).as(f.getName() + "." + inner.getName()).isTrue();
                }
            }
        }
        assertThat(memos).containsExactlyInAnyOrder("hash", "key", "compares");
    }

    /**
     * Eight threads compare the same fresh versions (so their keys are built while others
     * read them), in random pairs, and every answer matches the one computed alone on private
     * copies; equal versions also hash alike from every thread.
     */
    @Test
    void threadsComparingSharedVersionsAgreeWithASingleThread() throws Exception {
        List<String> texts = new ArrayList<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(
                Compression.open(Fixtures.path("archive/bookworm/main/binary-amd64/Packages.xz"), true).stream().readAllBytes()),
                "Packages")) {
            for (Paragraph p; (p = r.next()) != null && texts.size() < 20_000; ) {
                texts.add(p.require("Version"));
            }
        }
        int threads = 8;
        int pairs = 200_000;
        Random random = new Random(7);
        int[] a = new int[pairs];
        int[] b = new int[pairs];
        int[] expected = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            a[i] = random.nextInt(texts.size());
            b[i] = random.nextInt(texts.size());
            expected[i] = Integer.signum(Version.parse(texts.get(a[i])).compareDirect(Version.parse(texts.get(b[i]))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int repeat = 0; repeat < 5; repeat++) {
                Version[] shared = texts.stream().map(Version::parse).toArray(Version[]::new);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> wrong = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t * (pairs / threads);
                    wrong.add(pool.submit(() -> {
                        start.await();
                        int bad = 0;
                        for (int n = 0; n < pairs; n++) {
                            int i = (offset + n) % pairs;
                            Version x = shared[a[i]];
                            Version y = shared[b[i]];
                            if (Integer.signum(x.compareTo(y)) != expected[i] || (expected[i] == 0 && x.hashCode() != y.hashCode())) {
                                bad++;
                            }
                        }
                        return bad;
                    }));
                }
                start.countDown();
                for (Future<Integer> w : wrong) {
                    assertThat(w.get()).isZero();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
