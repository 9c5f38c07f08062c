package org.demi.mirror.source;

import java.net.URI;
import java.util.List;
import org.demi.deb.BadInputException;

/**
 * One source as apt reads it from {@code sources.list} or a {@code .sources} file, with
 * one URI (a deb822 stanza with several URIs gives several).
 *
 * @param types         {@code deb} and/or {@code deb-src}
 * @param architectures empty means the machine's own architecture
 * @param origin        file and line, for messages
 */
public record AptSource(
        List<String> types,
        URI uri,
        List<String> suites,
        List<String> components,
        List<String> architectures,
        SignedBy signedBy,
        PoolPolicy pool,
        PublishMode publish,
        String origin) {

    public AptSource {
        types = List.copyOf(types);
        suites = List.copyOf(suites);
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
        if (types.isEmpty() || suites.isEmpty()) {
            throw new BadInputException(origin + ": a source needs types and suites");
        }
        for (String s : suites) {
            if (s.endsWith("/")) {
                throw new BadInputException(origin + ": flat repositories (suite '" + s
                        + "') are not supported; Demi mirrors dists/ archives");
            }
            if (s.contains("..") || s.startsWith("/")) {
                throw new BadInputException(origin + ": unsafe suite '" + s + "'");
            }
        }
        if (components.isEmpty()) {
            throw new BadInputException(origin + ": a source needs at least one component");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!List.of("http", "https", "file").contains(scheme)) {
            throw new BadInputException(origin + ": URI scheme '" + scheme
                    + "' is not supported (http, https and file are)");
        }
    }
}
