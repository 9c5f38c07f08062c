package org.demi.web.app;

import java.io.IOException;
import java.util.Optional;
import org.demi.deb.BadInputException;
import org.demi.index.FleetIndex;
import org.demi.web.compliance.ComplianceSetup;

/**
 * Where the server keeps the fleet's index: Lucene in its data directory (the default), or a
 * collection of a SolrCloud that several servers share, each writing its own hosts as its part.
 *
 * @param zk         the SolrCloud's ZooKeeper ensemble and chroot, {@code HOST:PORT[,HOST:PORT...]/CHROOT}; empty for Lucene
 * @param collection the Solr collection
 * @param part       this server's name among those sharing the collection
 */
public record IndexLocation(Optional<String> zk, String collection, String part) {
    public static final IndexLocation EMBEDDED = new IndexLocation(Optional.empty(), "", "");

    /**
     * {@code lucene}, or {@code solr:HOST:PORT[,HOST:PORT...]/CHROOT}.
     *
     * @param part this server's part; by default the machine's name, as the kernel has it (not
     *             resolved: a server without name resolution for itself still starts)
     * @throws BadInputException naming what is wrong with it
     */
    public static IndexLocation parse(String spec, String collection, Optional<String> part) throws IOException {
        if (spec.equals("lucene")) {
            return EMBEDDED;
        }
        if (!spec.startsWith("solr:") || spec.length() == "solr:".length()) {
            throw new BadInputException("--index is lucene or solr:ZKHOST:PORT[,ZKHOST:PORT...]/CHROOT, not '" + spec + "'");
        }
        String zk = spec.substring("solr:".length());
        String hosts = zk.indexOf('/') < 0 ? zk : zk.substring(0, zk.indexOf('/'));
        for (String hostPort : hosts.split(",", -1)) {
            if (!hostPort.matches("[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5}")) {
                throw new BadInputException("--index " + spec + ": '" + hostPort + "' is not a ZooKeeper HOST:PORT");
            }
        }
        return new IndexLocation(Optional.of(zk), collection, part.isPresent() ? part.get()
                : Configuration.machineName());
    }

    /** Opens the index for writing, or says clearly that another process holds it. */
    public FleetIndex open(ComplianceSetup setup) throws IOException {
        if (zk.isPresent()) {
            return FleetIndex.solr(zk.get(), collection, part);
        }
        try {
            return FleetIndex.open(setup.indexDir());
        } catch (org.apache.lucene.store.LockObtainFailedException e) {
            throw new BadInputException("the index at " + setup.indexDir() + " is in use (is demi serve running?)");
        }
    }
}
