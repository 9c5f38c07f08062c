package org.demi.web.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A form's token against the one it must carry, compared in constant time; a missing one never matches. */
final class Csrf {
    private Csrf() {
    }

    static boolean matches(String carried, String expected) {
        return carried != null && expected != null
                && MessageDigest.isEqual(carried.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
