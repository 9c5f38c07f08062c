package org.demi.mirror.source;

import java.net.URI;
import java.util.List;
import org.demi.deb.BadInputException;

/**
 * An archive Demi mirrors: one URI with the suites taken from it.
 *
 * @param name the directory and URL name it is published under ({@code /debian/<name>/}):
 *             the last segment of the URI's path ({@code debian-security})
 */
public record Upstream(String name, URI uri, List<SuiteSpec> suites, PoolPolicy pool, PublishMode publish) {
    public Upstream {
        suites = List.copyOf(suites);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
            throw new BadInputException("upstream name '" + name + "' is not a safe directory name");
        }
    }

    public SuiteSpec suite(String suite) {
        return suites.stream().filter(s -> s.suite().equals(suite)).findFirst()
                .orElseThrow(() -> new BadInputException(name + " has no suite " + suite));
    }
}
