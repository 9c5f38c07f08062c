package org.demi.compliance.host;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hosts a hosts file declares, in its order and by name: every push and every host the
 * indexer takes looks its declaration up by name, and at 100,000 hosts a walk down the list for
 * each would cost more than the push itself.
 */
public final class DeclaredHosts {
    public static final DeclaredHosts NONE = new DeclaredHosts(List.of());

    private final List<HostSpec> all;
    private final Map<String, HostSpec> byName;

    private DeclaredHosts(List<HostSpec> all) {
        this.all = List.copyOf(all);
        Map<String, HostSpec> map = new HashMap<>(all.size() * 2);
        for (HostSpec h : this.all) {
            map.putIfAbsent(h.host(), h); // as a walk down the list would find it: the first of a name
        }
        this.byName = map;
    }

    public static DeclaredHosts of(List<HostSpec> hosts) {
        return hosts.isEmpty() ? NONE : new DeclaredHosts(hosts);
    }

    /** Every declared host, in the file's order. */
    public List<HostSpec> all() {
        return all;
    }

    /** The declaration of the host of this name, if there is one. */
    public Optional<HostSpec> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }
}
