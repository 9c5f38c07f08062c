package org.demi.index;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.demi.compliance.evaluation.AdvisoryIndex;
import org.demi.compliance.evaluation.Evaluator;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.ReleaseArchive;
import org.demi.compliance.evaluation.ReleaseCalendar;
import org.demi.compliance.inventory.StatusFile;
import org.demi.compliance.tracker.TrackerJson;
import org.demi.deb.Fixtures;
import org.demi.deb.osrelease.OsRelease;

/** The fixtures' minimal bookworm host judged against bookworm and bookworm-security, and a test's own tracker data. */
final class MinbaseHost {
    private MinbaseHost() {
    }

    static HostEvaluation evaluate(String host, String trackerJson) throws Exception {
        ReleaseArchive bookworm = ReleaseArchive.builder("bookworm")
                .addPackages(new ByteArrayInputStream(Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz")), "p", "bookworm", false)
                .addPackages(new ByteArrayInputStream(Fixtures.plain("archive/bookworm-security/main/binary-amd64/Packages.xz")), "p",
                        "bookworm-security", true).build();
        Evaluator evaluator = new Evaluator(Map.of("bookworm", bookworm), AdvisoryIndex.empty(),
                TrackerJson.parse(new ByteArrayInputStream(trackerJson.getBytes(StandardCharsets.UTF_8)), "json"), ReleaseCalendar.NONE,
                java.time.LocalDate.of(2026, 12, 1));
        return evaluator.evaluate(host, OsRelease.parse(Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/os-release"))),
                StatusFile.parse(Files.readAllBytes(Fixtures.path("hosts/bookworm-minbase/status")), host));
    }
}
