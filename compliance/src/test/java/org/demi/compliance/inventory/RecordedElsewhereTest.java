package org.demi.compliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.demi.compliance.inventory.RecordedElsewhere.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedElsewhereTest {
    @TempDir
    Path data;

    /**
     * Two commands' notices are both taken, once: the server indexes each host once per notice,
     * not on every look. A delivery's notice is taken apart from a collection's: the server
     * indexes a delivered host again even when its inventory did not change.
     */
    @Test
    void noticesAreTakenOnceWithTheHostsOfEachByKind() throws Exception {
        RecordedElsewhere cli = new RecordedElsewhere(data);
        RecordedElsewhere server = new RecordedElsewhere(data);
        assertThat(server.take(Kind.COLLECTED)).as("no directory yet").isEmpty();
        cli.announce(Kind.COLLECTED, List.of("web1", "db1"));
        cli.announce(Kind.COLLECTED, List.of("web1", "mail"));
        cli.announce(Kind.DELIVERED, List.of("db1"));
        assertThat(server.take(Kind.COLLECTED)).containsExactly("db1", "mail", "web1");
        assertThat(server.take(Kind.COLLECTED)).isEmpty();
        assertThat(server.take(Kind.DELIVERED)).containsExactly("db1");
        assertThat(server.take(Kind.DELIVERED)).isEmpty();
        assertThat(Files.list(data.resolve("recorded"))).isEmpty();
    }

    /** A command that recorded nothing (every host named was a push host) leaves no notice. */
    @Test
    void nothingRecordedLeavesNoNotice() throws Exception {
        new RecordedElsewhere(data).announce(Kind.COLLECTED, List.of());
        assertThat(data.resolve("recorded")).doesNotExist();
    }

    /**
     * A notice being written has a name of its own, and is not read until renamed into place;
     * a notice whose lines are not all host names (a hand-written one, bytes that are not UTF-8)
     * still gives its good lines, and is removed, so it is not complained of every few seconds.
     */
    @Test
    void partialNoticesWaitAndBadLinesAreLeftOut() throws Exception {
        Path dir = Files.createDirectories(data.resolve("recorded"));
        Files.writeString(dir.resolve(".1-2-3.partial"), "half\n");
        Files.writeString(dir.resolve(".hidden.collected"), "hidden\n");
        byte[] bad = "good1\n../../etc\nbad\u00e9host\n\ngood2".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("1-2-3.collected"), bad);
        Files.write(dir.resolve("1-2-4.collected"), latin1);
        assertThat(new RecordedElsewhere(data).take(Kind.COLLECTED)).containsExactly("good1", "good2");
        assertThat(dir.resolve("1-2-3.collected")).doesNotExist();
        assertThat(dir.resolve("1-2-4.collected")).doesNotExist();
        assertThat(dir.resolve(".1-2-3.partial")).exists();
        assertThat(dir.resolve(".hidden.collected")).exists();
    }

    /**
     * A command that fails halfway still announces what it recorded before failing, and throws
     * its own failure, with the notice's when that could not be written either.
     */
    @Test
    void workThatFailsStillAnnouncesWhatItRecorded() throws Exception {
        RecordedElsewhere cli = new RecordedElsewhere(data);
        List<String> recorded = new java.util.ArrayList<>();
        assertThatThrownBy(() -> cli.after(Kind.COLLECTED, recorded, () -> {
            recorded.add("web1");
            throw new java.io.IOException("web2: connection refused");
        })).hasMessage("web2: connection refused");
        assertThat(cli.take(Kind.COLLECTED)).containsExactly("web1");
        assertThat(cli.after(Kind.COLLECTED, List.of("db1"), () -> 7)).isEqualTo(7);
        assertThat(cli.take(Kind.COLLECTED)).containsExactly("db1");

        java.nio.file.Files.writeString(data.resolve("recorded-blocked"), "a file where the directory would be");
        RecordedElsewhere blocked = new RecordedElsewhere(data.resolve("recorded-blocked"));
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> blocked.after(Kind.DELIVERED, List.of("web1"), () -> {
            throw new IllegalStateException("the delivery's own failure");
        }));
        assertThat(thrown).hasMessage("the delivery's own failure");
        assertThat(thrown.getSuppressed()).hasSize(1);
    }

    /** A command never announces a name that is not a host's. */
    @Test
    void announcingABadNameFailsAndLeavesNoNotice() {
        assertThatThrownBy(() -> new RecordedElsewhere(data).announce(Kind.DELIVERED, List.of("ok", "no/slash")))
                .hasMessageContaining("not a usable host name: 'no/slash'");
        assertThat(data.resolve("recorded")).doesNotExist();
    }
}
