package org.demi.web.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing down without locking the administrators out, answering at once
 * instead of queueing the guesses:
 * <ul>
 *   <li>per source address, one attempt at a time: the others are not queued behind the
 *       password hash, where they would delay everyone's log-in;</li>
 *   <li>per source address, a token bucket of failed log-ins ({@link #ADDRESS_BURST} at once,
 *       then one every {@link #ADDRESS_REFILL}): an address whose bucket is empty is told to
 *       come back when it has a token;</li>
 *   <li>per user name, a delay that doubles with each failure after {@link #USER_FREE_FAILURES}
 *       in a row (up to {@link #USER_MAX_DELAY}), for addresses that have failed recently: a
 *       flood from a few addresses against {@code admin} does not stop {@code admin} logging in
 *       from an address with no failures, while a flood from many addresses gets one guess from
 *       each before the delay applies to it too.</li>
 * </ul>
 * A successful log-in clears its user's failures and refunds its address's token. The tables
 * are bounded: the entries untouched longest go first.
 */
public final class LogInThrottle {
    public static final int ADDRESS_BURST = 5;
    public static final Duration ADDRESS_REFILL = Duration.ofSeconds(12);
    public static final int USER_FREE_FAILURES = 5;
    public static final Duration USER_MAX_DELAY = Duration.ofMinutes(15);
    /** How long an address counts as having failed, and how often a throttled address is logged at most. */
    public static final Duration WINDOW = Duration.ofMinutes(15);
    static final int MAX_ENTRIES = 20_000;

    /** An address's bucket: tokens as of {@code at}, its last failure, and when it was last reported. */
    private record AddressState(double tokens, Instant at, Instant lastFailure, Instant reported) {
    }

    /** A user name's failures in a row and the last one. */
    private record UserState(int failures, Instant lastFailure) {
    }

    /**
     * The verdict on an attempt: go ahead, or come back after {@code retryAfter}; {@code report}
     * once per window; {@code suspect} when its address has failed within the window (such an
     * attempt should not be let near the resources honest ones need).
     */
    public record Decision(Optional<Duration> retryAfter, String reason, boolean report, boolean suspect) {
        public boolean allowed() {
            return retryAfter.isEmpty();
        }
    }

    private final Clock clock;
    private final Map<String, AddressState> addresses = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, UserState> users = new LinkedHashMap<>(16, 0.75f, true);
    private final java.util.Set<String> checking = new java.util.HashSet<>();

    public LogInThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether an attempt from {@code address} for {@code user} may be checked now. An allowed
     * attempt takes one token of its address, and must end with {@link #succeeded},
     * {@link #failed} or {@link #abandoned}; a success gives the token back.
     */
    public synchronized Decision attempt(String address, String user) {
        Instant now = clock.instant();
        AddressState a = refilled(address, now);
        if (checking.contains(address)) {
            return refuse(address, a, now, Duration.ofSeconds(1), "a log-in from " + address + " is being checked already");
        }
        if (a.tokens() < 1) {
            Duration wait = Duration.ofMillis((long) Math.ceil((1 - a.tokens()) * ADDRESS_REFILL.toMillis()));
            return refuse(address, a, now, wait, "too many failed log-ins from " + address);
        }
        UserState u = users.get(user);
        boolean suspect = a.lastFailure() != null && a.lastFailure().plus(WINDOW).isAfter(now);
        if (u != null && suspect && u.failures() >= USER_FREE_FAILURES) {
            Instant until = u.lastFailure().plus(delay(u.failures()));
            if (until.isAfter(now)) {
                return refuse(address, a, now, Duration.between(now, until), "too many failed log-ins for this user name");
            }
        }
        put(addresses, address, new AddressState(a.tokens() - 1, now, a.lastFailure(), a.reported()));
        checking.add(address);
        return new Decision(Optional.empty(), "", false, suspect);
    }

    public synchronized void failed(String address, String user) {
        checking.remove(address);
        Instant now = clock.instant();
        AddressState a = refilled(address, now);
        put(addresses, address, new AddressState(a.tokens(), now, now, a.reported()));
        UserState u = users.get(user);
        put(users, user, new UserState(u == null ? 1 : u.failures() + 1, now));
    }

    public synchronized void succeeded(String address, String user) {
        checking.remove(address);
        Instant now = clock.instant();
        AddressState a = refilled(address, now);
        put(addresses, address, new AddressState(Math.min(ADDRESS_BURST, a.tokens() + 1), now, a.lastFailure(), a.reported()));
        users.remove(user);
    }

    /** An allowed attempt that ended without a verdict (the server failed): its token stays spent. */
    public synchronized void abandoned(String address) {
        checking.remove(address);
    }

    /** 1 s after the first failure past the free ones, doubling, at most {@link #USER_MAX_DELAY}. */
    static Duration delay(int failures) {
        int over = failures - USER_FREE_FAILURES;
        if (over < 0) {
            return Duration.ZERO;
        }
        long seconds = over >= 20 ? Long.MAX_VALUE : 1L << over;
        return seconds >= USER_MAX_DELAY.toSeconds() ? USER_MAX_DELAY : Duration.ofSeconds(seconds);
    }

    private Decision refuse(String address, AddressState a, Instant now, Duration wait, String reason) {
        boolean report = a.reported() == null || !a.reported().plus(WINDOW).isAfter(now);
        if (report) {
            put(addresses, address, new AddressState(a.tokens(), a.at(), a.lastFailure(), now));
        }
        return new Decision(Optional.of(wait.isZero() ? Duration.ofSeconds(1) : wait), reason, report, true);
    }

    private AddressState refilled(String address, Instant now) {
        AddressState a = addresses.get(address);
        if (a == null) {
            return new AddressState(ADDRESS_BURST, now, null, null);
        }
        double earned = Math.max(0, Duration.between(a.at(), now).toMillis()) / (double) ADDRESS_REFILL.toMillis();
        return new AddressState(Math.min(ADDRESS_BURST, a.tokens() + earned), now, a.lastFailure(), a.reported());
    }

    private static <V> void put(Map<String, V> map, String key, V value) {
        map.put(key, value);
        if (map.size() > MAX_ENTRIES) {
            Iterator<String> eldest = map.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }
}
