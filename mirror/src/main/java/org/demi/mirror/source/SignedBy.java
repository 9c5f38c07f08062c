package org.demi.mirror.source;

import java.util.List;
import org.demi.deb.BadInputException;

/**
 * apt's {@code Signed-By} option: keyring files, fingerprints (matched against the default
 * keyrings), or an inline armored key block. Empty means "the default keyrings".
 */
public record SignedBy(List<String> keyrings, List<String> fingerprints, String inlineKey) {
    public SignedBy {
        keyrings = List.copyOf(keyrings);
        fingerprints = List.copyOf(fingerprints);
    }

    public static final SignedBy DEFAULT = new SignedBy(List.of(), List.of(), null);

    public boolean isDefault() {
        return keyrings.isEmpty() && fingerprints.isEmpty() && inlineKey == null;
    }

    /** Parses the value: a block starting {@code -----BEGIN PGP PUBLIC KEY BLOCK-----}, or a comma/blank list. */
    public static SignedBy parse(String value) {
        String v = value.strip();
        if (v.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            // deb822 continuation lines: a line holding only "." stands for an empty line.
            StringBuilder key = new StringBuilder();
            for (String line : v.split("\n", -1)) {
                String t = line.strip();
                key.append(t.equals(".") ? "" : t).append('\n');
            }
            return new SignedBy(List.of(), List.of(), key.toString());
        }
        List<String> files = new java.util.ArrayList<>();
        List<String> fingerprints = new java.util.ArrayList<>();
        for (String item : v.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.startsWith("/") || item.startsWith(".")) {
                files.add(item);
            } else if (item.replace("!", "").matches("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}")) {
                fingerprints.add(item);
            } else {
                throw new BadInputException("Signed-By: '" + item
                        + "' is neither an absolute keyring path nor a key fingerprint");
            }
        }
        return new SignedBy(files, fingerprints, null);
    }
}
