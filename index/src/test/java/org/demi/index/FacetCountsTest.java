package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A segment's first ordinals by count, against sorting all of them, over counts with many ties and many zeros. */
class FacetCountsTest {
    @Test
    void aSegmentsFirstOrdinalsAreThoseASortOfAllGives() {
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            int[] c = random.ints(random.nextInt(60), 0, 1 + random.nextInt(4)).toArray(); // counts 0 to 3: ties everywhere
            int n = 1 + random.nextInt(12);
            int[] sorted = IntStream.range(0, c.length).filter(o -> c[o] > 0).boxed()
                    .sorted((a, b) -> c[a] != c[b] ? Integer.compare(c[b], c[a]) : Integer.compare(a, b))
                    .limit(n).mapToInt(Integer::intValue).toArray();
            assertThat(FacetCounts.firstOrds(c, Math.min(n, c.length))).as(java.util.Arrays.toString(c) + " first " + n).containsExactly(sorted);
        }
        assertThat(FacetCounts.firstOrds(new int[0], 0)).isEmpty();
        assertThat(FacetCounts.firstOrds(new int[] {0, 0, 0}, 2)).isEmpty();
    }
}
