package org.demi.compliance.inventory;

/** How one collection attempt for a host ended, as its history records it. */
public enum Outcome {
    /** A new inventory arrived and was stored. */
    STORED("stored"),
    /** The host's checksum (or its whole inventory) equals the last one stored. */
    UNCHANGED("unchanged"),
    /** Something arrived, but it was not a valid inventory; the previous one stays. */
    REJECTED("rejected"),
    /** The host could not be reached, or did not answer in time. */
    UNREACHABLE("unreachable"),
    /** The host was reached but refused (host key, authentication, forced command). */
    REFUSED("refused");

    private final String word;

    Outcome(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public boolean good() {
        return this == STORED || this == UNCHANGED;
    }

    public static Outcome ofWord(String w) {
        for (Outcome o : values()) {
            if (o.word.equals(w)) {
                return o;
            }
        }
        throw new IllegalArgumentException("not an outcome: " + w);
    }
}
