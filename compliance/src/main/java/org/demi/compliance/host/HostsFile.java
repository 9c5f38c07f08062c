package org.demi.compliance.host;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.demi.deb.io.Durable;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.paragraph.ParagraphReader;
import org.demi.deb.paragraph.ParagraphWriter;
import org.demi.deb.BadInputException;

/** {@code <config>/hosts}: the managed hosts, one deb822 paragraph each. */
public final class HostsFile {
    private HostsFile() {
    }

    /** The hosts declared in {@code file}; none when it does not exist. */
    public static List<HostSpec> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<HostSpec> hosts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(Files.readAllBytes(file)), file.toString(),
                new org.demi.deb.paragraph.Limits(4096, 32, 64 << 10, true))) {
            for (Paragraph p; (p = r.next()) != null; ) {
                HostSpec h;
                try {
                    String port = p.getOrDefault("Port", "22").trim();
                    if (!port.matches("\\d{1,5}")) {
                        throw new BadInputException("Port is not a number: '" + port + "'");
                    }
                    String groups = p.getOrDefault("Groups", "").trim();
                    String deliver = p.getOrDefault("Deliver", "no").trim();
                    if (!deliver.equals("yes") && !deliver.equals("no")) {
                        throw new BadInputException("Deliver is yes or no, not '" + deliver + "'");
                    }
                    h = new HostSpec(p.require("Host").trim(), p.getOrDefault("Address", "").trim(), Integer.parseInt(port),
                            p.getOrDefault("User", "").trim(),
                            groups.isEmpty() ? List.of() : Arrays.asList(groups.split("[\\s,]+")),
                            CollectMethod.parse(p.getOrDefault("Collect", "ssh")), deliver.equals("yes"));
                } catch (BadInputException e) {
                    throw new ParagraphException(file.toString(), p.line(), e.getMessage());
                }
                if (!names.add(h.host())) {
                    throw new ParagraphException(file.toString(), p.line(), "host " + h.host() + " is declared twice");
                }
                hosts.add(h);
            }
        }
        return List.copyOf(hosts);
    }

    public static void write(Path file, List<HostSpec> hosts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParagraphWriter w = new ParagraphWriter(out, ParagraphWriter.Style.SEPARATED)) {
            for (HostSpec h : hosts) {
                Paragraph.Builder b = Paragraph.builder().add("Host", h.host()).add("Address", h.address())
                        .add("Port", Integer.toString(h.port())).add("User", h.user());
                if (!h.groups().isEmpty()) {
                    b.add("Groups", String.join(" ", h.groups()));
                }
                b.add("Collect", h.collect().word());
                if (h.deliver()) {
                    b.add("Deliver", "yes");
                }
                w.write(b.build());
            }
        }
        Durable.write(file, out.toByteArray());
    }
}
