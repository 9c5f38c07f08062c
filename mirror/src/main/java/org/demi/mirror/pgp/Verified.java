package org.demi.mirror.pgp;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of a successful check: the bytes that may now be trusted and who vouched for them.
 *
 * @param text         the signed bytes (for an InRelease, the Release text inside it)
 * @param signers      fingerprints of the (sub)keys whose signatures were good, as gpgv names them
 * @param signedAt     the creation time of the newest good signature
 * @param ignored      signatures that did not count, each with the reason (unknown key,
 *                     expired or revoked key, weak digest), as apt lists them
 */
public record Verified(byte[] text, List<String> signers, Instant signedAt, List<String> ignored) {
    public Verified {
        signers = List.copyOf(signers);
        ignored = List.copyOf(ignored);
    }
}
