package org.demi.web.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.vulnerability.Vulnerability;
import org.demi.compliance.evaluation.CveState;
import org.demi.compliance.evaluation.HostCve;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.inventory.Inventory;
import org.demi.compliance.tracker.Urgency;
import org.demi.deb.status.StatusEntry;

/**
 * One host's software bill of materials with its vulnerabilities (VEX), as CycloneDX 1.5 JSON
 * built with the CycloneDX project's library: every installed package a component with its
 * package URL ({@code pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12}, the source
 * package as {@code upstream} when it differs), and every CVE the security tracker lists for an
 * installed source in the host's release as a vulnerability affecting that source's installed
 * binaries, its analysis state derived from Demi's CVE state:
 * <pre>
 * fixed                                         resolved
 * not-affected                                  not_affected (code_not_present)
 * undetermined                                  in_triage
 * fix-available                                 exploitable, response update
 * fix-not-in-mirror                             exploitable, response update (not in the mirror yet)
 * fixed-pending-reboot                          exploitable, response update (installed, running once rebooted)
 * no-fix                                        exploitable, response can_not_fix (will_not_fix for no-DSA/ignored)
 * </pre>
 * The urgency the tracker gives becomes the rating's severity (unimportant: info; not yet
 * assigned: unknown). A CVE listed for two installed sources is one vulnerability with both
 * sources' binaries, in the worse of the two states.
 */
public final class HostSbom {
    static final Version VERSION = Version.VERSION_15;
    static final String TRACKER = "https://security-tracker.debian.org/tracker/";

    private HostSbom() {
    }

    /** The bill of materials, as JSON. */
    public static String cyclonedx(String host, Inventory inventory, HostEvaluation evaluation, Instant now, String tool) {
        try {
            return BomGeneratorFactory.createJson(VERSION, bom(host, inventory, evaluation, now, tool)).toJsonString();
        } catch (org.cyclonedx.exception.GeneratorException e) {
            throw new IllegalStateException("the CycloneDX library could not write the bill of materials of " + host, e);
        }
    }

    static Bom bom(String host, Inventory inventory, HostEvaluation evaluation, Instant now, String tool) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(now));
        Component subject = new Component();
        subject.setType(Component.Type.OPERATING_SYSTEM);
        subject.setBomRef("host:" + host);
        subject.setName(host);
        subject.setVersion(inventory.osRelease().versionId().orElse(""));
        subject.setDescription(inventory.osRelease().prettyName());
        subject.setProperties(List.of(property("demi:inventory-sha256", inventory.checksum()),
                property("demi:release", evaluation.release().orElse(""))));
        metadata.setComponent(subject);
        org.cyclonedx.model.metadata.ToolInformation tools = new org.cyclonedx.model.metadata.ToolInformation();
        Component demi = new Component();
        demi.setType(Component.Type.APPLICATION);
        demi.setName("demi");
        demi.setVersion(tool);
        tools.setComponents(List.of(demi));
        metadata.setToolChoice(tools);
        bom.setMetadata(metadata);

        String distro = inventory.osRelease().id() + inventory.osRelease().versionId().map(v -> "-" + v).orElse("");
        Map<String, String> refs = new LinkedHashMap<>();
        List<Component> components = new ArrayList<>();
        for (StatusEntry e : inventory.entries()) {
            if (!e.isInstalled()) {
                continue;
            }
            Component c = new Component();
            c.setType(Component.Type.LIBRARY);
            c.setName(e.packageName());
            c.setVersion(e.version().toString());
            String purl = purl(e, distro);
            c.setPurl(purl);
            c.setBomRef(purl);
            c.setProperties(List.of(property("demi:source", e.source().name()), property("demi:source-version",
                    e.source().version().toString())));
            refs.put(e.packageName() + ":" + e.architecture(), purl);
            components.add(c);
        }
        bom.setComponents(components);
        bom.setVulnerabilities(vulnerabilities(evaluation, refs));
        return bom;
    }

    static String purl(StatusEntry e, String distro) {
        TreeMap<String, String> qualifiers = new TreeMap<>();
        if (!e.architecture().isEmpty()) {
            qualifiers.put("arch", e.architecture());
        }
        qualifiers.put("distro", distro);
        if (!e.source().name().equals(e.packageName()) || !e.source().version().equals(e.version())) {
            qualifiers.put("upstream", e.source().name() + (e.source().version().equals(e.version()) ? "" : "@" + e.source().version()));
        }
        try {
            return new PackageURL("deb", "debian", e.packageName(), e.version().toString(), qualifiers, null).canonicalize();
        } catch (MalformedPackageURLException ex) {
            throw new IllegalStateException("a package dpkg installed has no package URL: " + e.packageName() + " " + e.version(), ex);
        }
    }

    private static List<Vulnerability> vulnerabilities(HostEvaluation evaluation, Map<String, String> refs) {
        Map<String, List<HostCve>> byId = new TreeMap<>();
        evaluation.allCves().forEach(c -> byId.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(c));
        List<Vulnerability> out = new ArrayList<>();
        for (Map.Entry<String, List<HostCve>> e : byId.entrySet()) {
            HostCve worst = e.getValue().stream().min(HostCve.BY_CONCERN).orElseThrow();
            Vulnerability v = new Vulnerability();
            v.setBomRef("vuln:" + e.getKey());
            v.setId(e.getKey());
            Vulnerability.Source source = new Vulnerability.Source();
            source.setName("Debian Security Tracker");
            source.setUrl(TRACKER + e.getKey());
            v.setSource(source);
            Vulnerability.Rating rating = new Vulnerability.Rating();
            rating.setSource(source);
            rating.setSeverity(severity(worst.tracker().urgency()));
            rating.setMethod(Vulnerability.Rating.Method.OTHER);
            v.setRatings(List.of(rating));
            v.setAnalysis(analysis(worst));
            List<Vulnerability.Affect> affects = new ArrayList<>();
            for (HostCve c : e.getValue()) {
                for (String binary : c.binaries()) {
                    String ref = refs.get(binary);
                    if (ref != null && affects.stream().noneMatch(a -> a.getRef().equals(ref))) {
                        Vulnerability.Affect a = new Vulnerability.Affect();
                        a.setRef(ref);
                        affects.add(a);
                    }
                }
            }
            v.setAffects(affects);
            List<Property> properties = new ArrayList<>();
            properties.add(property("demi:state", worst.state().word()));
            properties.add(property("demi:source", worst.source() + " " + worst.installedSourceVersion()));
            if (worst.fixedVersion() != null) {
                properties.add(property("demi:fixed-version", worst.fixedVersion().toString()));
            }
            worst.advisories().forEach(a -> properties.add(property("demi:advisory", a)));
            v.setProperties(properties);
            out.add(v);
        }
        return out;
    }

    private static Vulnerability.Analysis analysis(HostCve c) {
        Vulnerability.Analysis a = new Vulnerability.Analysis();
        String fixed = c.fixedVersion() == null ? "" : c.fixedVersion().toString();
        switch (c.state()) {
            case FIXED -> {
                a.setState(Vulnerability.Analysis.State.RESOLVED);
                a.setDetail(c.source() + " " + c.installedSourceVersion() + " is at or above the fixed version " + fixed);
            }
            case NOT_AFFECTED -> {
                a.setState(Vulnerability.Analysis.State.NOT_AFFECTED);
                a.setJustification(Vulnerability.Analysis.Justification.CODE_NOT_PRESENT);
                a.setDetail("the security tracker says this release never had the flaw");
            }
            case UNDETERMINED -> {
                a.setState(Vulnerability.Analysis.State.IN_TRIAGE);
                a.setDetail("the security tracker has not determined yet whether this release is affected");
            }
            case FIX_AVAILABLE, FIX_NOT_IN_MIRROR -> {
                a.setState(Vulnerability.Analysis.State.EXPLOITABLE);
                a.setResponses(List.of(Vulnerability.Analysis.Response.UPDATE));
                a.setDetail("fixed in " + c.source() + " " + fixed + (c.state() == CveState.FIX_AVAILABLE
                        ? ", which the mirror offers: apt-get upgrade installs it" : ", which the mirror does not offer yet"));
            }
            case FIXED_PENDING_REBOOT -> {
                a.setState(Vulnerability.Analysis.State.EXPLOITABLE);
                a.setResponses(List.of(Vulnerability.Analysis.Response.UPDATE));
                a.setDetail("fixed in " + c.source() + " " + fixed + ", which is installed; the host runs " + c.source() + " "
                        + c.installedSourceVersion() + " until it reboots");
            }
            case NO_FIX -> {
                a.setState(Vulnerability.Analysis.State.EXPLOITABLE);
                boolean declined = !c.tracker().noDsa().isEmpty();
                a.setResponses(List.of(declined ? Vulnerability.Analysis.Response.WILL_NOT_FIX : Vulnerability.Analysis.Response.CAN_NOT_FIX));
                a.setDetail("no fix released for this release" + (declined ? " (" + c.tracker().noDsa()
                        + (c.tracker().noDsaReason().isEmpty() ? "" : ": " + c.tracker().noDsaReason()) + ")" : ""));
            }
        }
        return a;
    }

    private static Vulnerability.Rating.Severity severity(Urgency u) {
        return switch (u) {
            case HIGH -> Vulnerability.Rating.Severity.HIGH;
            case MEDIUM -> Vulnerability.Rating.Severity.MEDIUM;
            case LOW -> Vulnerability.Rating.Severity.LOW;
            case UNIMPORTANT -> Vulnerability.Rating.Severity.INFO;
            case NOT_YET_ASSIGNED, END_OF_LIFE -> Vulnerability.Rating.Severity.UNKNOWN;
        };
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }
}
