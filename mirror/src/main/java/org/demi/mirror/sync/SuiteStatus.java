package org.demi.mirror.sync;

import java.time.Instant;
import java.util.List;

/**
 * What the last sync attempt of one suite found.
 *
 * @param error     why it failed (names the file and the check), or null
 * @param date      the Date of the Release now published for the suite
 * @param signers   fingerprints of the keys whose signatures were good
 * @param indexFiles index files published for the suite, and their total size
 */
public record SuiteStatus(
        String suite,
        SyncOutcome outcome,
        Instant attempted,
        String error,
        Instant date,
        Instant validUntil,
        List<String> signers,
        int indexFiles,
        long indexBytes,
        int poolFiles,
        long poolBytes) {
    public SuiteStatus {
        signers = List.copyOf(signers);
    }

    public boolean failed() {
        return outcome == SyncOutcome.FAILED;
    }
}
