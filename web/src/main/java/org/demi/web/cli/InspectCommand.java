package org.demi.web.cli;

import org.demi.deb.BadInputException;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.demi.deb.ControlFileKind;
import org.demi.deb.compression.Compression;
import org.demi.deb.compression.CorruptDataException;
import org.demi.deb.packages.PackageEntry;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.paragraph.Problem;
import org.demi.deb.release.Release;
import org.demi.deb.release.ReleaseDate;
import org.demi.deb.release.ReleaseFile;
import org.demi.deb.sources.SourceEntry;
import org.demi.deb.status.PackageStatus;
import org.demi.deb.status.StatusEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code demi inspect FILE}: what a Debian control file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Summarise a Packages, Sources, Release or dpkg status file.",
                "The file may be plain or compressed with gzip, xz or bzip2 (recognised by content). The",
                "summary gives its kind and number of stanzas, and for a status file every installed",
                "package with its version and source package; with a mirror in the data directory, also",
                "each package's state against its release's published suites, the open advisories, and every CVE",
                "the security tracker lists for an installed source package, with its state (like debsecan)."})
final class InspectCommand implements Callable<Integer> {
    private static final String SIGNED_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to read.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--release", paramLabel = "CODENAME",
            description = "For a status file: the host's release (default: from an os-release beside the file, else base-files).")
    String release;

    @CommandLine.ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try {
            return inspect();
        } catch (CorruptDataException e) {
            throw new BadInputException(file + ": " + e.getMessage());
        }
    }

    private int inspect() throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        List<Problem> problems;
        try (Compression.Opened opened = Compression.open(file, true);
             ParagraphReader reader = new ParagraphReader(opened.stream(), file.toString())) {
            summary.put("file", file.toString());
            summary.put("compression", opened.compression().name().toLowerCase(java.util.Locale.ROOT));
            Paragraph first;
            try {
                first = reader.next();
            } catch (org.demi.deb.paragraph.ParagraphException e) {
                if (startsWithSignedMessage()) {
                    throw new BadInputException(file + ": an OpenPGP-signed InRelease file; its signature must be "
                            + "verified before it is read (inspect the Release file, or let 'demi mirror' verify it)");
                }
                throw e;
            }
            if (first == null) {
                throw new BadInputException(file + ": holds no stanza");
            }
            ControlFileKind kind = ControlFileKind.detect(first);
            summary.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
            switch (kind) {
                case RELEASE -> summarizeRelease(first, summary);
                case PACKAGES -> summarizePackages(first, reader, summary);
                case SOURCES -> summarizeSources(first, reader, summary);
                case STATUS -> evaluate(summarizeStatus(first, reader, summary), summary);
            }
            problems = reader.problems();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Problem p : problems) {
            err.println("demi: warning: " + p);
        }
        if (format == OutputFormat.json) {
            ObjectMapper json = org.demi.web.json.Json.MAPPER;
            if (!problems.isEmpty()) {
                summary.put("problems", problems.stream().map(Problem::toString).toList());
            }
            out.println(json.writeValueAsString(summary));
        } else {
            TextSummary.print(summary, out);
        }
        out.flush();
        return Demi.OK;
    }

    private boolean startsWithSignedMessage() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SIGNED_MESSAGE.length());
            return new String(head, StandardCharsets.US_ASCII).equals(SIGNED_MESSAGE);
        }
    }

    private static void summarizeRelease(Paragraph p, Map<String, Object> summary) {
        Release r = Release.of(p);
        summary.put("stanzas", 1);
        summary.put("origin", r.origin());
        summary.put("label", r.label());
        summary.put("suite", r.suite());
        summary.put("codename", r.codename());
        summary.put("version", r.version());
        summary.put("date", r.date().map(ReleaseDate::format).orElse(null));
        summary.put("valid_until", r.validUntil().map(ReleaseDate::format).orElse(null));
        summary.put("architectures", r.architectures());
        summary.put("components", r.components());
        summary.put("acquire_by_hash", r.acquireByHash());
        summary.put("files", r.files().size());
        summary.put("files_bytes", r.files().stream().mapToLong(ReleaseFile::size).sum());
    }

    private static void summarizePackages(Paragraph first, ParagraphReader reader, Map<String, Object> summary)
            throws IOException {
        int stanzas = 0;
        long bytes = 0;
        Map<String, Integer> architectures = new TreeMap<>();
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> sources = new TreeSet<>();
        for (Paragraph p = first; p != null; p = reader.next()) {
            PackageEntry e = PackageEntry.of(p);
            stanzas++;
            bytes += e.size();
            architectures.merge(e.architecture(), 1, Integer::sum);
            names.add(e.packageName());
            sources.add(e.source().name());
        }
        summary.put("stanzas", stanzas);
        summary.put("packages", names.size());
        summary.put("source_packages", sources.size());
        summary.put("architectures", architectures);
        summary.put("deb_bytes", bytes);
    }

    private static void summarizeSources(Paragraph first, ParagraphReader reader, Map<String, Object> summary)
            throws IOException {
        int stanzas = 0;
        int files = 0;
        long bytes = 0;
        TreeSet<String> names = new TreeSet<>();
        int binaries = 0;
        for (Paragraph p = first; p != null; p = reader.next()) {
            SourceEntry e = SourceEntry.of(p);
            stanzas++;
            names.add(e.packageName());
            binaries += e.binaries().size();
            files += e.files().size();
            bytes += e.files().stream().mapToLong(ReleaseFile::size).sum();
        }
        summary.put("stanzas", stanzas);
        summary.put("source_packages", names.size());
        summary.put("binary_packages", binaries);
        summary.put("files", files);
        summary.put("files_bytes", bytes);
    }

    /**
     * With a mirror in the data directory, like debsecan: each installed package's state against
     * its release's published suites, and the open advisories.
     */
    private void evaluate(List<StatusEntry> entries, Map<String, Object> summary) throws IOException {
        java.time.Clock clock = java.time.Clock.systemUTC();
        org.demi.web.compliance.ComplianceSetup setup = new org.demi.web.compliance.ComplianceSetup(demi.global.configuration());
        org.demi.mirror.store.MirrorStore mirror = new org.demi.mirror.store.MirrorStore(demi.global.dataDir(), clock);
        Map<String, org.demi.compliance.evaluation.ReleaseArchive> archives = org.demi.web.compliance.ComplianceSetup.archives(mirror);
        if (archives.isEmpty()) {
            summary.put("evaluation", "none: no published mirror in " + demi.global.dataDir() + " (see demi mirror sync)");
            return;
        }
        // As the server judges its hosts: the mirror, the advisories, the tracker's CVE data and Debian's release dates.
        org.demi.compliance.evaluation.Evaluator evaluator = setup.evaluator(mirror);
        org.demi.compliance.evaluation.HostEvaluation e;
        if (release != null) {
            e = evaluator.evaluate(file.toString(), java.util.Optional.of(release), entries);
        } else {
            Path os = file.toAbsolutePath().resolveSibling("os-release");
            org.demi.deb.osrelease.OsRelease osRelease = Files.isRegularFile(os) && Files.size(os) <= org.demi.deb.osrelease.OsRelease.MAX_BYTES
                    ? org.demi.deb.osrelease.OsRelease.parse(Files.readAllBytes(os)) : null;
            e = evaluator.evaluate(file.toString(), osRelease, entries);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) summary.remove("installed");
        summary.put("release", e.release().orElse(null));
        summary.put("support", e.support().word() + (e.support() == org.demi.compliance.evaluation.ReleaseSupport.NOT_MIRRORED
                ? " (published suites serve " + String.join(", ", archives.keySet()) + ")" : ""));
        Map<String, Integer> counts = new LinkedHashMap<>();
        e.counts().forEach((k, v) -> counts.put(k.word(), v));
        summary.put("states", counts);
        summary.put("open_advisories", e.openAdvisories().stream().map(a -> a.id() + " " + a.date() + " " + a.source() + " "
                + a.installedSourceVersion() + (a.fixedVersion() == null ? " unfixed" : " << " + a.fixedVersion())).toList());
        summary.put("cve_states", ReportCommand.cveStates(e));
        summary.put("open_cves_by_urgency", ReportCommand.openByUrgency(e));
        if (format == OutputFormat.json) {
            summary.put("cves", ReportCommand.cveRows(java.util.Optional.of(e), org.demi.compliance.fleet.CveTimeline.NONE));
        } else {
            summary.put("open_cves", e.openCves().stream().map(c -> c.id() + " " + c.state().word() + " " + c.tracker().urgencyText()
                    + " " + c.source() + " " + c.installedSourceVersion() + (c.fixedVersion() == null ? "" : " << " + c.fixedVersion()))
                    .toList());
        }
        for (int i = 0; i < rows.size(); i++) {
            org.demi.compliance.evaluation.PackageEvaluation p = e.packages().get(i);
            Map<String, Object> row = rows.get(i);
            row.remove("status");
            row.put("state", p.state().word());
            row.put("newest", p.newest() == null ? "-" : p.newest().toString());
            row.put("newest_security", p.newestSecurity() == null ? "-" : p.newestSecurity().toString());
            row.put("advisories", p.advisories().isEmpty() ? "-" : String.join(",", p.advisories()));
            row.put("security_support", p.supportLimit().map(org.demi.compliance.evaluation.SupportLimit::describe).orElse("-"));
        }
        summary.put("installed", rows);
    }

    private static List<StatusEntry> summarizeStatus(Paragraph first, ParagraphReader reader, Map<String, Object> summary)
            throws IOException {
        List<StatusEntry> entries = new ArrayList<>();
        int stanzas = 0;
        int held = 0;
        List<Map<String, Object>> installed = new ArrayList<>();
        Map<String, Integer> notInstalled = new TreeMap<>();
        for (Paragraph p = first; p != null; p = reader.next()) {
            StatusEntry e = StatusEntry.of(p);
            entries.add(e);
            stanzas++;
            if (!e.isInstalled()) {
                notInstalled.merge(e.status().state().word(), 1, Integer::sum);
                continue;
            }
            if (e.status().want() == PackageStatus.Want.HOLD) {
                held++;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("package", e.packageName());
            row.put("version", e.version().toString());
            row.put("architecture", e.architecture());
            row.put("source", e.source().name());
            row.put("source_version", e.source().version().toString());
            row.put("status", e.status().toString());
            installed.add(row);
        }
        summary.put("stanzas", stanzas);
        summary.put("installed_count", installed.size());
        summary.put("held", held);
        summary.put("not_installed", notInstalled);
        summary.put("installed", installed);
        return entries;
    }

    /** Output formats of commands that print data. */
    enum OutputFormat { text, json }
}
