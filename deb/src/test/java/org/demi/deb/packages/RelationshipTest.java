package org.demi.deb.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.demi.deb.DebFormatException;
import org.demi.deb.Fixtures;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.version.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relationship fields read as libapt reads them: every Depends, Pre-Depends and Provides field
 * of Debian's bookworm main index, parsed here and by python3-apt's {@code apt_pkg.parse_depends}
 * (multi-arch qualifiers kept), gives the same groups, names, relations and versions.
 */
class RelationshipTest {
    @Test
    void everyRelationshipFieldOfBookwormReadsAsLibaptReadsIt(@TempDir Path tmp) throws Exception {
        byte[] index = Fixtures.plain("archive/bookworm/main/binary-amd64/Packages.xz");
        List<String> fields = new ArrayList<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(index), "Packages")) {
            for (Paragraph p; (p = r.next()) != null; ) {
                for (String name : List.of("Pre-Depends", "Depends", "Provides")) {
                    String v = p.get(name);
                    if (v != null) {
                        fields.add(v.replace('\n', ' '));
                    }
                }
            }
        }
        Path in = tmp.resolve("fields");
        Files.write(in, fields);
        // One line per field: groups separated by " , ", alternatives by " | ", each "name op version".
        String script = String.join("\n",
                "import sys, apt_pkg",
                "apt_pkg.init_system()",
                "for line in open(sys.argv[1], encoding='utf-8'):",
                "    groups = apt_pkg.parse_depends(line.rstrip('\\n'), False)",
                "    print(' , '.join(' | '.join(' '.join(x for x in (n, o, v) if x) for (n, v, o) in g) for g in groups))", "");
        Files.writeString(tmp.resolve("parse.py"), script);
        String[] apt = Fixtures.run(List.of("/usr/bin/python3", tmp.resolve("parse.py").toString(), in.toString()), null).split("\n");
        assertThat(apt).hasSameSizeAs(fields.toArray());
        for (int i = 0; i < fields.size(); i++) {
            List<String> groups = new ArrayList<>();
            for (List<Relationship> g : Relationship.parseField(fields.get(i))) {
                groups.add(String.join(" | ", g.stream().map(a -> a.packageName() + (a.qualifier().isEmpty() ? "" : ":" + a.qualifier())
                        + a.relation().map(rel -> " " + aptSymbol(rel.symbol()) + " " + a.version().get()).orElse("")).toList()));
            }
            assertThat(String.join(" , ", groups)).as(fields.get(i)).isEqualTo(apt[i]);
        }
        assertThat(fields).hasSizeGreaterThan(60_000);
    }

    /** libapt writes the strict relations as {@code <} and {@code >}. */
    private static String aptSymbol(String policy) {
        return switch (policy) {
            case "<<" -> "<";
            case ">>" -> ">";
            default -> policy;
        };
    }

    @Test
    void aRestrictionIsJudgedByDebianVersionOrder() {
        Relationship r = Relationship.parse("libc6 (>= 2.36-9+deb12u4)");
        assertThat(r.allows(Version.parse("2.36-9+deb12u10"))).isTrue();
        assertThat(r.allows(Version.parse("2.36-9+deb12u3"))).isFalse();
        assertThat(Relationship.parse("perl:any").qualifier()).isEqualTo("any");
        assertThat(Relationship.parse("perl:any").allows(Version.parse("0"))).isTrue();
        assertThat(Relationship.parseField("  ")).isEmpty();
    }

    @Test
    void whatIsNotARelationshipIsNamed() {
        assertThatThrownBy(() -> Relationship.parseField("libc6 (>= 2.36, zlib1g")).isInstanceOf(DebFormatException.class)
                .hasMessageContaining("'libc6 (>= 2.36' is not a package relationship");
        assertThatThrownBy(() -> Relationship.parse("Libc6")).hasMessageContaining("'Libc6' is not a package name");
        assertThatThrownBy(() -> Relationship.parse("libc6 (2.36)")).hasMessageContaining("no relation before the version");
        assertThatThrownBy(() -> Relationship.parse("libc6 (~= 2.36)")).isInstanceOf(DebFormatException.class);
        assertThatThrownBy(() -> Relationship.parse("libc6 (>= 2.36) x")).hasMessageContaining("not closed");
    }
}
