package org.demi.web.sbom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.demi.compliance.evaluation.HostCve;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.inventory.Inventory;
import org.demi.deb.status.StatusEntry;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.InvalidSPDXAnalysisException;
import org.spdx.library.ModelCopyManager;
import org.spdx.library.model.ExternalRef;
import org.spdx.library.model.ReferenceType;
import org.spdx.library.model.SpdxDocument;
import org.spdx.library.model.SpdxModelFactory;
import org.spdx.library.model.SpdxPackage;
import org.spdx.library.model.enumerations.ReferenceCategory;
import org.spdx.library.model.enumerations.RelationshipType;
import org.spdx.library.model.license.LicenseInfoFactory;
import org.spdx.library.model.license.SpdxNoAssertionLicense;
import org.spdx.storage.IModelStore;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * One host's software bill of materials as an SPDX 2.3 JSON document, built with the SPDX
 * project's library: the host a package that the document describes and that contains every
 * installed package, each with its package URL (as in the CycloneDX document) and its source
 * package; and, since SPDX 2.3 has no analysis of vulnerabilities (that is the CycloneDX
 * document's VEX), each CVE open on the host as a SECURITY advisory reference of the packages it
 * affects, pointing at the security tracker, its Demi state in the reference's comment.
 * Licences are NOASSERTION: dpkg's status file does not carry them.
 */
public final class SpdxSbom {
    static {
        // The licence list is the library's own copy: never fetched from the network.
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        System.setProperty("SPDXParser.OnlyUseLocalLicenses", "true");
    }

    private SpdxSbom() {
    }

    public static String spdx(String host, Inventory inventory, HostEvaluation evaluation, Instant now, String tool) {
        try {
            return write(host, inventory, evaluation, now, tool);
        } catch (InvalidSPDXAnalysisException | IOException e) {
            throw new IllegalStateException("the SPDX library could not write the bill of materials of " + host + ": " + e.getMessage(), e);
        }
    }

    private static String write(String host, Inventory inventory, HostEvaluation evaluation, Instant now, String tool)
            throws InvalidSPDXAnalysisException, IOException {
        IModelStore memory = new InMemSpdxStore();
        MultiFormatStore store = new MultiFormatStore(memory, MultiFormatStore.Format.JSON_PRETTY);
        String uri = "https://spdx.org/spdxdocs/demi-" + host.replaceAll("[^A-Za-z0-9.-]", "-") + "-" + UUID.randomUUID();
        ModelCopyManager copies = new ModelCopyManager();
        SpdxDocument doc = SpdxModelFactory.createSpdxDocument(store, uri, copies);
        doc.setSpecVersion("SPDX-2.3");
        doc.setName(host + " (" + inventory.osRelease().prettyName() + ")");
        doc.setDataLicense(LicenseInfoFactory.parseSPDXLicenseString("CC0-1.0", store, uri, copies));
        doc.setCreationInfo(doc.createCreationInfo(List.of("Tool: demi-" + tool.replace(' ', '-')),
                now.truncatedTo(ChronoUnit.SECONDS).toString()));

        SpdxPackage hostPackage = doc.createPackage(id(store, uri), host, new SpdxNoAssertionLicense(store, uri), "NOASSERTION",
                new SpdxNoAssertionLicense(store, uri)).setDownloadLocation("NOASSERTION").setFilesAnalyzed(false)
                .setVersionInfo(inventory.osRelease().versionId().orElse("")).setComment("A Debian host, as its inventory of "
                        + "SHA256 " + inventory.checksum() + " says").build();
        doc.getDocumentDescribes().add(hostPackage);

        String distro = inventory.osRelease().id() + inventory.osRelease().versionId().map(v -> "-" + v).orElse("");
        Map<String, SpdxPackage> byBinary = new LinkedHashMap<>();
        for (StatusEntry e : inventory.entries()) {
            if (!e.isInstalled()) {
                continue;
            }
            SpdxPackage p = doc.createPackage(id(store, uri), e.packageName(), new SpdxNoAssertionLicense(store, uri), "NOASSERTION",
                    new SpdxNoAssertionLicense(store, uri)).setDownloadLocation("NOASSERTION").setFilesAnalyzed(false)
                    .setVersionInfo(e.version().toString()).setSupplier("Organization: Debian")
                    .setSourceInfo("built from the Debian source package " + e.source().name() + " " + e.source().version())
                    .addExternalRef(doc.createExternalRef(ReferenceCategory.PACKAGE_MANAGER,
                            new ReferenceType("http://spdx.org/rdf/references/purl"), HostSbom.purl(e, distro), null))
                    .build();
            hostPackage.addRelationship(doc.createRelationship(p, RelationshipType.CONTAINS, null));
            byBinary.put(e.packageName() + ":" + e.architecture(), p);
        }
        for (HostCve c : evaluation.openCves()) {
            for (String binary : c.binaries()) {
                SpdxPackage p = byBinary.get(binary);
                if (p != null) {
                    p.getExternalRefs().add(doc.createExternalRef(ReferenceCategory.SECURITY,
                            new ReferenceType("http://spdx.org/rdf/references/advisory"), HostSbom.TRACKER + c.id(),
                            c.id() + ": " + c.state().word() + ", " + c.tracker().urgency().term()));
                }
            }
        }
        List<String> problems = new ArrayList<>(doc.verify());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the SPDX document of " + host + " does not verify: " + problems);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.serialize(uri, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String id(IModelStore store, String uri) throws InvalidSPDXAnalysisException {
        return store.getNextId(IModelStore.IdType.SpdxId, uri);
    }
}
