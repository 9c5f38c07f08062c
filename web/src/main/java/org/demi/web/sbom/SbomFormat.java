package org.demi.web.sbom;

import java.time.Instant;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.inventory.Inventory;
import org.demi.deb.BadInputException;

/** The two formats a host's bill of materials is written in, each with its file name and media type. */
public enum SbomFormat {
    /** CycloneDX 1.5 JSON, with the vulnerabilities' analysis (VEX). */
    CYCLONEDX("cyclonedx", ".cdx.json", "application/vnd.cyclonedx+json; version=1.5"),
    /** SPDX 2.3 JSON, the open CVEs as security references. */
    SPDX("spdx", ".spdx.json", "application/spdx+json");

    private final String word;
    private final String suffix;
    private final String mediaType;

    SbomFormat(String word, String suffix, String mediaType) {
        this.word = word;
        this.suffix = suffix;
        this.mediaType = mediaType;
    }

    public String word() {
        return word;
    }

    /** The file name of a host's document: {@code HOST.cdx.json}, {@code HOST.spdx.json}. */
    public String fileName(String host) {
        return host + suffix;
    }

    public String mediaType() {
        return mediaType;
    }

    public String write(String host, Inventory inventory, HostEvaluation evaluation, Instant now, String tool) {
        return switch (this) {
            case CYCLONEDX -> HostSbom.cyclonedx(host, inventory, evaluation, now, tool);
            case SPDX -> SpdxSbom.spdx(host, inventory, evaluation, now, tool);
        };
    }

    public static SbomFormat of(String word) {
        for (SbomFormat f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        throw new BadInputException("the format is cyclonedx or spdx, not '" + word + "'");
    }
}
