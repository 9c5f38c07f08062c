package org.demi.web.serve;

import java.net.InetSocketAddress;

/**
 * Where and how {@code demi serve} listens: the address, and how many connections one source
 * address may hold open at once.
 */
public record Network(InetSocketAddress listen, int connectionsPerAddress) {
    /**
     * Generous for one client (apt opens one or two connections per source, a browser six),
     * and for a few dozen hosts behind one NAT address; raise it for more.
     */
    public static final int CONNECTIONS_PER_ADDRESS = 64;

    public Network {
        if (connectionsPerAddress < 1) {
            throw new IllegalArgumentException("--max-connections-per-address must be at least 1");
        }
    }

    public static Network of(InetSocketAddress listen) {
        return new Network(listen, CONNECTIONS_PER_ADDRESS);
    }
}
