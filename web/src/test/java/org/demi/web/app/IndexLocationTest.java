package org.demi.web.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.demi.deb.BadInputException;
import org.junit.jupiter.api.Test;

/** What --index, --index-collection and --index-part say, and what is refused. */
class IndexLocationTest {
    @Test
    void luceneIsTheDefaultAndSolrNamesAnEnsembleAndChroot() throws Exception {
        assertThat(IndexLocation.parse("lucene", "demi", Optional.empty())).isSameAs(IndexLocation.EMBEDDED);
        IndexLocation solr = IndexLocation.parse("solr:zk1:2181,zk2:2181,[::1]:2181/solr", "fleet", Optional.of("zone-a"));
        assertThat(solr.zk()).contains("zk1:2181,zk2:2181,[::1]:2181/solr");
        assertThat(solr.collection()).isEqualTo("fleet");
        assertThat(solr.part()).isEqualTo("zone-a");
    }

    @Test
    void aServersPartIsByDefaultTheMachinesNameUnresolved() throws Exception {
        // Read as the kernel has it: a machine that cannot resolve its own name still gets one.
        String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(IndexLocation.parse("solr:127.0.0.1:2181/solr", "demi", Optional.empty()).part()).isEqualTo(name).isNotBlank();
    }

    @Test
    void badLocationsAreNamed() {
        assertThatThrownBy(() -> IndexLocation.parse("elastic", "demi", Optional.empty())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("lucene or solr:").hasMessageContaining("'elastic'");
        assertThatThrownBy(() -> IndexLocation.parse("solr:", "demi", Optional.empty())).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> IndexLocation.parse("solr:zk1/solr", "demi", Optional.empty())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'zk1' is not a ZooKeeper HOST:PORT");
        assertThatThrownBy(() -> IndexLocation.parse("solr:zk1:2181,,zk2:2181/solr", "demi", Optional.empty()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'' is not");
    }
}
