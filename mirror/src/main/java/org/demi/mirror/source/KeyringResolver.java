package org.demi.mirror.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.demi.mirror.pgp.Keyring;
import org.demi.mirror.pgp.SignatureException;

/**
 * Turns a {@link SignedBy} into the keys to trust. Without {@code Signed-By}, the default
 * keyrings: Debian's archive keyring and what apt trusts globally
 * ({@code /etc/apt/trusted.gpg.d/*.gpg|*.asc}).
 */
public final class KeyringResolver {
    private final List<Path> defaults;

    public KeyringResolver(List<Path> defaults) {
        this.defaults = List.copyOf(defaults);
    }

    /** The keyrings of this machine, as apt would use them without Signed-By. */
    public static KeyringResolver system() throws IOException {
        List<Path> d = new ArrayList<>();
        Path debian = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        if (Files.isRegularFile(debian)) {
            d.add(debian);
        }
        Path trusted = Path.of("/etc/apt/trusted.gpg.d");
        if (Files.isDirectory(trusted)) {
            try (Stream<Path> s = Files.list(trusted)) {
                s.filter(p -> p.toString().endsWith(".gpg") || p.toString().endsWith(".asc")).sorted().forEach(d::add);
            }
        }
        return new KeyringResolver(d);
    }

    public Keyring resolve(SignedBy signedBy) throws IOException {
        if (signedBy.inlineKey() != null) {
            return Keyring.parse(signedBy.inlineKey().getBytes(StandardCharsets.US_ASCII), "the inline Signed-By key");
        }
        List<Path> files = signedBy.keyrings().isEmpty() ? defaults : signedBy.keyrings().stream().map(Path::of).toList();
        if (files.isEmpty()) {
            throw new SignatureException("no Signed-By and no default keyring (install debian-archive-keyring)");
        }
        List<Keyring> rings = new ArrayList<>();
        for (Path p : files) {
            rings.add(Keyring.read(p));
        }
        Keyring k = Keyring.union(rings);
        return signedBy.fingerprints().isEmpty() ? k : k.restrictTo(signedBy.fingerprints());
    }
}
