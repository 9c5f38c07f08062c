package org.demi.web.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.io.Connection;

/**
 * At most so many open connections from one source address: one more is closed as soon as it
 * opens, so no single client can take all the server's connections. Refusals are logged once
 * per address until its count falls back under the cap.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private static final System.Logger LOG = System.getLogger(ConnectionsPerAddress.class.getName());

    private final int max;
    private final Map<InetAddress, Integer> open = new HashMap<>();
    private final Map<InetAddress, Boolean> logged = new HashMap<>();
    private final Map<Connection, InetAddress> counted = new java.util.concurrent.ConcurrentHashMap<>();

    ConnectionsPerAddress(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one connection per address");
        }
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return;
        }
        InetAddress address = inet.getAddress();
        boolean refuse;
        boolean log = false;
        synchronized (this) {
            int n = open.getOrDefault(address, 0);
            refuse = n >= max;
            if (refuse) {
                log = logged.put(address, Boolean.TRUE) == null;
            } else {
                open.put(address, n + 1);
                counted.put(connection, address);
            }
        }
        if (refuse) {
            if (log) {
                LOG.log(System.Logger.Level.WARNING, address.getHostAddress() + " has " + max
                        + " connections open, the most one address may; further ones are closed");
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = counted.remove(connection);
        if (address == null) {
            return;
        }
        synchronized (this) {
            open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            if (open.getOrDefault(address, 0) < max) {
                logged.remove(address);
            }
        }
    }
}
