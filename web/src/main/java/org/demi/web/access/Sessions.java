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

    /**
     * A log-in form's server-side state, made when the form is shown: its cookie names {@code id},
     * its form carries {@code token}. A log-in is accepted only with both, so a cookie planted by
     * another site (a sibling domain, plain HTTP on the LAN) with a value of its choosing is
     * worth nothing.
     */
    public record PreSession(String id, String token, Instant created) {
    }

    public static final Duration PRE_SESSION_LIFETIME = Duration.ofHours(1);
    static final int MAX_PRE_SESSIONS = 10_000;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, PreSession> preSessions = new java.util.LinkedHashMap<>();
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

    /** A new pre-session for a log-in form; the oldest goes when there are too many. */
    public synchronized PreSession preSession() {
        if (preSessions.size() >= MAX_PRE_SESSIONS) {
            var eldest = preSessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        PreSession p = new PreSession(token(), token(), clock.instant());
        preSessions.put(p.id(), p);
        return p;
    }

    /** The live pre-session of this identifier; empty when unknown, expired or evicted. */
    public synchronized Optional<PreSession> preSession(String id) {
        PreSession p = id == null ? null : preSessions.get(id);
        if (p != null && clock.instant().isAfter(p.created().plus(PRE_SESSION_LIFETIME))) {
            preSessions.remove(id);
            p = null;
        }
        return Optional.ofNullable(p);
    }

    /** A pre-session is spent by the log-in it allowed. */
    public synchronized void endPreSession(String id) {
        preSessions.remove(id);
    }

    /** Ends every session of this user (removed, or given a new password). */
    public void closeAll(String user) {
        sessions.values().removeIf(s -> s.user().equals(user));
    }
}
