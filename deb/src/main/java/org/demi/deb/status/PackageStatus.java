package org.demi.deb.status;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.demi.deb.DebFormatException;

/**
 * dpkg's three-word {@code Status} field: the selection (what the administrator wants),
 * an error flag, and the package's state (dpkg(1), "PACKAGE STATES").
 */
public record PackageStatus(Want want, ErrorFlag flag, State state) {

    /** The selection state. {@code hold} means installed and not to be upgraded. */
    public enum Want { UNKNOWN, INSTALL, HOLD, DEINSTALL, PURGE }

    /** {@code reinstreq}: the package is broken and must be reinstalled. */
    public enum ErrorFlag { OK, REINSTREQ }

    /** The package state, in dpkg's order from absent to fully installed. */
    public enum State {
        NOT_INSTALLED, CONFIG_FILES, HALF_INSTALLED, UNPACKED, HALF_CONFIGURED, TRIGGERS_AWAITED,
        TRIGGERS_PENDING, INSTALLED;

        /** dpkg's spelling, for example {@code config-files}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Every status by its usual spelling, three words and single spaces: nearly every stanza's. */
    private static final Map<String, PackageStatus> SPELLED = spellings();

    private static Map<String, PackageStatus> spellings() {
        Map<String, PackageStatus> out = new HashMap<>();
        for (Want w : Want.values()) {
            for (ErrorFlag f : ErrorFlag.values()) {
                for (State st : State.values()) {
                    PackageStatus p = new PackageStatus(w, f, st);
                    out.put(p.toString(), p);
                }
            }
        }
        return Map.copyOf(out);
    }

    public static PackageStatus parse(String field) {
        PackageStatus usual = SPELLED.get(field);
        if (usual != null) {
            return usual;
        }
        String[] w = field.strip().split("[ \t]+");
        if (w.length != 3) {
            throw new DebFormatException("Status must be three words (want, flag, state), found '" + field.strip() + "'");
        }
        return new PackageStatus(word(Want.class, w[0], "selection"), word(ErrorFlag.class, w[1], "error flag"),
                word(State.class, w[2], "state"));
    }

    /**
     * Whether the package's files are on the system, as apt decides it: every state but
     * {@code not-installed} and {@code config-files} gives the package a current version
     * (apt's {@code debListParser::ParseStatus}), whatever the selection; so a package on
     * {@code hold}, or one left {@code half-configured}, is installed and can be vulnerable.
     */
    public boolean isInstalled() {
        return state != State.NOT_INSTALLED && state != State.CONFIG_FILES;
    }

    @Override
    public String toString() {
        return want.name().toLowerCase(Locale.ROOT) + " " + flag.name().toLowerCase(Locale.ROOT) + " " + state.word();
    }

    private static <E extends Enum<E>> E word(Class<E> type, String word, String what) {
        String constant = word.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        throw new DebFormatException("unknown " + what + " '" + word + "' in Status");
    }
}
