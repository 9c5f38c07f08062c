package org.demi.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.demi.compliance.inventory.MutableClock;
import org.junit.jupiter.api.Test;

/** Sessions end when idle too long, when too old, at log-out, and when their user goes. */
class SessionsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    final User alice = new User("alice", Role.ADMIN, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");

    @Test
    void idleAndLifetimeLimits() {
        Sessions sessions = new Sessions(new SecureRandom(), clock);
        Sessions.Session s = sessions.open(alice);
        assertThat(s.id()).hasSize(43).isNotEqualTo(s.csrf());
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofHours(7));
            assertThat(sessions.find(s.id())).as("used every 7 hours").isPresent();
        }
        clock.advance(Duration.ofHours(4));
        assertThat(sessions.find(s.id())).as("25 hours old").isEmpty();

        Sessions.Session t = sessions.open(alice);
        clock.advance(Sessions.IDLE.plusSeconds(1));
        assertThat(sessions.find(t.id())).as("idle too long").isEmpty();
    }

    @Test
    void logOutAndRemovalEndSessions() {
        Sessions sessions = new Sessions(new SecureRandom(), clock);
        Sessions.Session a = sessions.open(alice);
        Sessions.Session b = sessions.open(alice);
        sessions.close(a.id());
        assertThat(sessions.find(a.id())).isEmpty();
        assertThat(sessions.find(b.id())).isPresent();
        sessions.closeAll("alice");
        assertThat(sessions.find(b.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("guessed")).isEmpty();
    }
}
