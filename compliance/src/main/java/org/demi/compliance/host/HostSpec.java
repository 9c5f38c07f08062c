package org.demi.compliance.host;

import java.util.List;
import org.demi.compliance.inventory.InventoryStore;
import org.demi.deb.BadInputException;

/**
 * One managed host, a paragraph of {@code /etc/demi/hosts}:
 * <pre>
 * Host: web1
 * Address: 192.0.2.10
 * Port: 22
 * User: demi
 * Groups: web production
 * Collect: ssh
 * Deliver: yes
 * </pre>
 *
 * @param host    the name Demi knows it by (and its directory under {@code hosts/})
 * @param address where to reach it over SSH; the name itself when not given
 * @param deliver whether {@code demi serve} delivers its updates over SSH after each collection (SSH hosts only)
 */
public record HostSpec(String host, String address, int port, String user, List<String> groups, CollectMethod collect,
        boolean deliver) {
    /** A host without deliveries. */
    public HostSpec(String host, String address, int port, String user, List<String> groups, CollectMethod collect) {
        this(host, address, port, user, groups, collect, false);
    }

    public HostSpec {
        if (deliver && collect != CollectMethod.SSH) {
            throw new BadInputException(host + ": deliveries go over SSH; a host collected by " + collect.word() + " cannot have them");
        }
        InventoryStore.checkHost(host);
        if (address == null || address.isBlank()) {
            address = host;
        }
        if (!address.matches("[A-Za-z0-9.:_\\[\\]-]+")) {
            throw new BadInputException(host + ": not a host name or IP address: '" + address + "'");
        }
        if (port < 1 || port > 65535) {
            throw new BadInputException(host + ": port " + port + " is not between 1 and 65535");
        }
        if (user == null || user.isBlank()) {
            user = "demi";
        }
        if (!user.matches("[a-z_][a-z0-9_.-]{0,31}")) {
            throw new BadInputException(host + ": not a user name: '" + user + "'");
        }
        groups = List.copyOf(groups);
        for (String g : groups) {
            if (!g.matches("[A-Za-z0-9._-]+")) {
                throw new BadInputException(host + ": not a group name: '" + g + "'");
            }
        }
    }

    /** The machine Demi runs on, when no hosts are configured. */
    public static HostSpec localMachine(String name) {
        return new HostSpec(name, "localhost", 22, "demi", List.of(), CollectMethod.LOCAL);
    }
}
