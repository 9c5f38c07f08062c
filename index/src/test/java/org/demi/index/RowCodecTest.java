package org.demi.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index is written with Demi's codec, found again by its name when the index is opened
 * anew (as a restart, {@code demi search} beside a server, or a rebuild open it), and its rows
 * read back whole.
 */
class RowCodecTest {
    @TempDir
    Path tmp;

    @Test
    void writtenWithTheRowCodecAndReadBackByName() throws Exception {
        FleetIndexTest fleet = new FleetIndexTest();
        fleet.tmp = tmp;
        fleet.build(); // writes FleetIndexTest's five hosts and the advisories to tmp/index
        fleet.index.commit();
        Row before = fleet.search("type:host host:min1").rows().get(0);
        fleet.close();
        try (FSDirectory dir = FSDirectory.open(tmp.resolve("index"))) {
            SegmentInfos segments = SegmentInfos.readLatestCommit(dir);
            assertThat(segments.size()).isPositive();
            for (SegmentCommitInfo s : segments) {
                assertThat(s.info.getCodec().getName()).isEqualTo("DemiRow912");
            }
        }
        try (FleetIndex again = FleetIndex.openReadOnly(tmp.resolve("index"))) {
            Row after = again.search(SearchQuery.parse("type:host host:min1"), 0, 1).rows().get(0);
            assertThat(after.values()).isEqualTo(before.values());
            assertThat(again.count(SearchQuery.parse("host:min1"))).isEqualTo(fleet.evaluations.get(4).packages().size());
        }
    }
}
