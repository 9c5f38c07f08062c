package org.demi.web.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions, held in memory only (a restart logs everyone out). A session is known
 * by a 256-bit random identifier in an {@code HttpOnly}, {@code SameSite=Strict} cookie and
 * carries its own CSRF token, which every form of that session must send back. Sessions end
 * after 8 hours idle or 24 hours in all, and at log-out.
 */
public final class Sessions {
    public static final Duration IDLE = Duration.ofHours(8);
    public static final Duration LIFETIME = Duration.ofHours(24);
    static final int MAX_SESSIONS = 10_000;

    /**
     * One session: who, with which role, the token its forms carry, and the password hash the
     * user logged in with (a new password ends the session, whoever set it).
     */
    public record Session(String id, String user, Role role, String csrf, Instant created, Instant lastUsed, String passwordHash) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;

    public Sessions(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    public String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public Session open(User user) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(Session::lastUsed)).ifPresent(s -> sessions.remove(s.id()));
        }
        Session s = new Session(token(), user.name(), user.role(), token(), now, now, user.passwordHash());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of this identifier, its idle clock restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.lastUsed().plus(IDLE)) || now.isAfter(s.created().plus(LIFETIME))) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(s.id(), s.user(), s.role(), s.csrf(), s.created(), now, s.passwordHash());
        sessions.put(id, touched);
        return Optional.of(touched);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of this user (removed, or given a new password). */
    public void closeAll(String user) {
        sessions.values().removeIf(s -> s.user().equals(user));
    }
}
