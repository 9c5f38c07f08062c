package org.demi.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.demi.compliance.inventory.MutableClock;
import org.junit.jupiter.api.Test;

class LogInThrottleTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final LogInThrottle t = new LogInThrottle(clock);

    void fail(String address, String user) {
        assertThat(t.attempt(address, user).allowed()).isTrue();
        t.failed(address, user);
    }

    @Test
    void anAddressGetsItsBurstThenOneGuessPerRefill() {
        for (int i = 0; i < LogInThrottle.ADDRESS_BURST; i++) {
            fail("10.0.0.1", "u" + i); // other user names each time: only the address bucket counts
        }
        LogInThrottle.Decision d = t.attempt("10.0.0.1", "another");
        assertThat(d.allowed()).isFalse();
        assertThat(d.retryAfter()).hasValue(LogInThrottle.ADDRESS_REFILL);
        assertThat(d.report()).as("the first refusal is reported").isTrue();
        assertThat(t.attempt("10.0.0.1", "another").report()).as("then not again within the window").isFalse();
        clock.advance(LogInThrottle.ADDRESS_REFILL);
        fail("10.0.0.1", "another");
        assertThat(t.attempt("10.0.0.1", "x").allowed()).isFalse();
        // Another address is untouched.
        assertThat(t.attempt("10.0.0.2", "x").allowed()).isTrue();
    }

    @Test
    void oneAttemptAtATimePerAddressTheOthersAnsweredAtOnce() {
        assertThat(t.attempt("10.0.0.1", "admin").allowed()).isTrue();
        LogInThrottle.Decision second = t.attempt("10.0.0.1", "admin");
        assertThat(second.allowed()).isFalse();
        assertThat(second.reason()).contains("being checked already");
        t.succeeded("10.0.0.1", "admin");
        assertThat(t.attempt("10.0.0.1", "admin").allowed()).isTrue();
        t.abandoned("10.0.0.1");
        assertThat(t.attempt("10.0.0.1", "admin").allowed()).isTrue();
    }

    @Test
    void aUserNameUnderAttackStillLetsItsOwnerInFromAnAddressWithoutFailures() {
        // A flood against admin from eight addresses, each within its own bucket.
        for (int round = 0; round < 2; round++) {
            for (int a = 2; a < 10; a++) {
                LogInThrottle.Decision d = t.attempt("127.0.0." + a, "admin");
                if (d.allowed()) {
                    t.failed("127.0.0." + a, "admin");
                }
            }
        }
        // Past the free failures, the user name's delay holds every address that has failed...
        LogInThrottle.Decision held = t.attempt("127.0.0.2", "admin");
        assertThat(held.allowed()).isFalse();
        assertThat(held.reason()).contains("for this user name");
        // ...and not the administrator's own address; a success clears the user name's failures.
        assertThat(t.attempt("127.0.0.1", "admin").allowed()).isTrue();
        t.succeeded("127.0.0.1", "admin");
        clock.advance(LogInThrottle.ADDRESS_REFILL);
        assertThat(t.attempt("127.0.0.2", "admin").allowed()).isTrue();
    }

    @Test
    void theUserDelayDoublesAndIsCapped() {
        assertThat(LogInThrottle.delay(LogInThrottle.USER_FREE_FAILURES - 1)).isEqualTo(Duration.ZERO);
        assertThat(LogInThrottle.delay(LogInThrottle.USER_FREE_FAILURES)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LogInThrottle.delay(LogInThrottle.USER_FREE_FAILURES + 3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(LogInThrottle.delay(LogInThrottle.USER_FREE_FAILURES + 40)).isEqualTo(LogInThrottle.USER_MAX_DELAY);
    }
}
