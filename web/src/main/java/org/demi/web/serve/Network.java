package org.demi.web.serve;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where and how {@code demi serve} listens: the address (HTTPS there when {@code tls} is
 * given), an optional second address for plain HTTP beside HTTPS (the apt repository and the
 * push endpoint only), how many connections one source address may hold open at once, and an
 * optional address where {@code /metrics} alone answers, to anyone (plain HTTP, for a
 * Prometheus on a management network).
 */
public record Network(InetSocketAddress listen, Optional<Tls> tls, Optional<InetSocketAddress> plainHttp, int connectionsPerAddress,
        Optional<InetSocketAddress> metrics) {
    /**
     * Generous for one client (apt opens one or two connections per source, a browser six),
     * and for a few dozen hosts behind one NAT address; raise it for more.
     */
    public static final int CONNECTIONS_PER_ADDRESS = 64;

    public Network {
        if (connectionsPerAddress < 1) {
            throw new IllegalArgumentException("--max-connections-per-address must be at least 1");
        }
        if (plainHttp.isPresent() && tls.isEmpty()) {
            throw new IllegalArgumentException("a plain HTTP address beside the main one is for a server that speaks HTTPS");
        }
    }

    /** Plain HTTP on one address, the default limits. */
    public static Network of(InetSocketAddress listen) {
        return new Network(listen, Optional.empty(), Optional.empty(), CONNECTIONS_PER_ADDRESS, Optional.empty());
    }

    /** This, with {@code /metrics} also answered anonymously at {@code address}. */
    public Network withMetrics(InetSocketAddress address) {
        return new Network(listen, tls, plainHttp, connectionsPerAddress, Optional.of(address));
    }
}
