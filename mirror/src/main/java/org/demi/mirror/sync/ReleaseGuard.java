package org.demi.mirror.sync;

import java.time.Duration;
import java.time.Instant;
import org.demi.deb.release.Release;
import org.demi.mirror.VerificationException;

/**
 * The checks a verified Release must still pass before it replaces the last one: it is the
 * suite that was asked for, not older than the last accepted (rollback), not past its
 * {@code Valid-Until} (freeze), and not dated too far ahead of the clock.
 */
public record ReleaseGuard(Duration maxFuture) {
    public static final ReleaseGuard DEFAULT = new ReleaseGuard(Duration.ofDays(1));

    public void check(Release r, String suite, String file, Instant now, Instant lastAccepted) {
        if (!suite.equals(r.suite()) && !suite.equals(r.codename())) {
            throw new VerificationException(file, "suite", "the signed Release is for Suite '" + r.suite()
                    + "', Codename '" + r.codename() + "', not '" + suite + "'");
        }
        Instant date = r.date().orElseThrow(() -> new VerificationException(file, "Date", "the Release has no Date"));
        if (lastAccepted != null && date.isBefore(lastAccepted)) {
            throw new VerificationException(file, "rollback", "its Date " + date
                    + " is older than the last accepted " + lastAccepted);
        }
        if (r.validUntil().isPresent() && !r.validUntil().get().isAfter(now)) {
            throw new VerificationException(file, "Valid-Until", "it expired at " + r.validUntil().get()
                    + " (now " + now + "): the archive may be frozen by an attacker");
        }
        if (date.isAfter(now.plus(maxFuture))) {
            throw new VerificationException(file, "Date", "its Date " + date + " lies more than "
                    + maxFuture.toHours() + " h ahead of now (" + now + ")");
        }
    }
}
