package org.demi.compliance.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.demi.deb.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hosts file's Deliver field: written only when yes, read back, and refused when it is not yes or no or not on an SSH host. */
class HostsFileTest {
    @TempDir
    Path tmp;

    @Test
    void deliverIsWrittenReadAndChecked() throws Exception {
        Path file = tmp.resolve("hosts");
        HostsFile.write(file, List.of(new HostSpec("db1", "192.0.2.1", 22, "demi", List.of(), CollectMethod.SSH, true),
                new HostSpec("web1", null, 22, null, List.of(), CollectMethod.SSH)));
        String text = Files.readString(file);
        assertThat(text).contains("Host: db1\n", "Deliver: yes\n");
        assertThat(text.substring(text.indexOf("Host: web1"))).doesNotContain("Deliver");
        assertThat(HostsFile.read(file)).extracting(HostSpec::deliver).containsExactly(true, false);

        Files.writeString(file, "Host: db1\nDeliver: maybe\n");
        assertThatThrownBy(() -> HostsFile.read(file)).hasMessageContaining("Deliver is yes or no, not 'maybe'");
        Files.writeString(file, "Host: k1\nCollect: push\nDeliver: yes\n");
        assertThatThrownBy(() -> HostsFile.read(file)).hasMessageContaining("deliveries go over SSH");
        assertThatThrownBy(() -> new HostSpec("l1", null, 22, null, List.of(), CollectMethod.LOCAL, true))
                .isInstanceOf(BadInputException.class);
    }
}
