package org.demi.compliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.demi.deb.io.Durable;

class ParsedFileTest {
    @TempDir
    Path tmp;

    @Test
    void parsedOnceUntilTheFileChanges() throws Exception {
        Path f = tmp.resolve("hosts");
        AtomicInteger parses = new AtomicInteger();
        ParsedFile<String> p = new ParsedFile<>(f, file -> {
            parses.incrementAndGet();
            return Files.readString(file);
        }, "(none)");
        assertThat(p.get()).isEqualTo("(none)");
        Files.writeString(f, "one");
        assertThat(p.get()).isEqualTo("one");
        assertThat(p.get()).isEqualTo("one");
        assertThat(parses).hasValue(1);
        // Replaced by another process, as demi hosts add does while demi serve runs.
        Durable.write(f, "two, longer".getBytes());
        assertThat(p.get()).isEqualTo("two, longer");
        assertThat(parses).hasValue(2);
        p.invalidate();
        assertThat(p.get()).isEqualTo("two, longer");
        assertThat(parses).hasValue(3);
        Files.delete(f);
        assertThat(p.get()).isEqualTo("(none)");
    }
}
