package org.demi.web.sbom;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.fleet.Fleet;
import org.demi.compliance.fleet.HostState;
import org.demi.compliance.host.HostSpec;

/**
 * The bills of materials of the fleet's hosts (CycloneDX or SPDX), each from the host's latest
 * inventory as the evaluator judges it now: one host's ({@code demi sbom HOST}, {@code /hosts/HOST/sbom}), or
 * every collected host's, one file each in a tar ({@code demi sbom --all}).
 */
public final class Sboms {
    private Sboms() {
    }

    /** A host's bill of materials, as the server makes it at the time asked; empty for one not declared or never collected. */
    public interface Source {
        Optional<String> of(String host, SbomFormat format) throws IOException;
    }

    /** The host's bill of materials; empty for a host not declared, or never collected. */
    public static Optional<String> of(Fleet fleet, Evaluator evaluator, String host, Instant now, SbomFormat format) throws IOException {
        Optional<HostSpec> spec = fleet.host(host);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        return of(fleet.state(spec.get(), evaluator, now), now, format);
    }

    private static Optional<String> of(HostState st, Instant now, SbomFormat format) {
        if (st.latest().isEmpty() || st.evaluation().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(format.write(st.host(), st.latest().get().inventory(), st.evaluation().get(), now, tool()));
    }

    /** Every collected host's bill of materials as {@code HOST.cdx.json} (or {@code .spdx.json}) in a tar; returns how many. */
    public static int tar(Fleet fleet, Evaluator evaluator, Instant now, SbomFormat format, OutputStream out) throws IOException {
        int n = 0;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (HostSpec h : fleet.hosts()) {
                Optional<String> json = of(fleet.state(h, evaluator, now), now, format);
                if (json.isEmpty()) {
                    continue;
                }
                byte[] bytes = json.get().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(format.fileName(h.host()));
                entry.setSize(bytes.length);
                entry.setModTime(now.toEpochMilli());
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
                n++;
            }
            tar.finish();
        }
        return n;
    }

    /** Demi's own version, as the jar's manifest gives it. */
    static String tool() {
        String v = Sboms.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
