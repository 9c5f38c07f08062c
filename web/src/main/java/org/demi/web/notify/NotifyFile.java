package org.demi.web.notify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.demi.compliance.tracker.Urgency;
import org.demi.deb.BadInputException;
import org.demi.deb.paragraph.Paragraph;
import org.demi.deb.paragraph.ParagraphException;
import org.demi.deb.paragraph.ParagraphReader;

/**
 * {@code <config>/notify}: who hears of what, one deb822 paragraph per recipient.
 * <pre>
 * Mail: secops@example.org, oncall@example.org
 * SMTP: 127.0.0.1:25                 (default; STARTTLS: yes to insist on it; SMTP-User and
 * From: demi@server.example.org        SMTP-Password-File to log in)
 * Events: cve advisory unreachable stale sync-failed feed-stale valid-until not-installed
 * Urgency: high                      (the least urgency of a CVE worth a message; default medium)
 * Not-Installed-Days: 7              (default 7)
 *
 * Webhook: https://hooks.example.org/demi
 * Secret-File: /etc/demi/webhook.secret    (the HMAC key of X-Demi-Signature; required)
 * Events: sync-failed feed-stale
 * </pre>
 * Events default to all of them. A file that does not parse is refused whole, naming the line.
 */
public final class NotifyFile {
    private NotifyFile() {
    }

    public static List<Recipient> read(Path file, String serverName) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Recipient> out = new ArrayList<>();
        try (ParagraphReader r = new ParagraphReader(new ByteArrayInputStream(Files.readAllBytes(file)), file.toString(),
                new org.demi.deb.paragraph.Limits(4096, 32, 64 << 10, true))) {
            for (Paragraph p; (p = r.next()) != null; ) {
                try {
                    out.add(recipient(p, file.getParent(), serverName));
                } catch (BadInputException e) {
                    throw new ParagraphException(file.toString(), p.line(), e.getMessage());
                }
            }
        }
        return List.copyOf(out);
    }

    private static Recipient recipient(Paragraph p, Path configDir, String serverName) throws IOException {
        String mail = p.getOrDefault("Mail", "").trim();
        String webhook = p.getOrDefault("Webhook", "").trim();
        if (mail.isEmpty() == webhook.isEmpty()) {
            throw new BadInputException("a recipient is a Mail field or a Webhook field, one of the two");
        }
        Channel channel;
        if (!mail.isEmpty()) {
            String smtp = p.getOrDefault("SMTP", "127.0.0.1:25").trim();
            int colon = smtp.lastIndexOf(':');
            if (colon < 1 || !smtp.substring(colon + 1).matches("\\d{1,5}")) {
                throw new BadInputException("SMTP is HOST:PORT, not '" + smtp + "'");
            }
            String user = p.getOrDefault("SMTP-User", "").trim();
            Optional<String[]> login = Optional.empty();
            if (!user.isEmpty()) {
                String passwordFile = p.require("SMTP-Password-File").trim();
                login = Optional.of(new String[] {user, Files.readString(configDir.resolve(passwordFile)).strip()});
            }
            String from = p.getOrDefault("From", "demi@" + serverName).trim();
            channel = new MailChannel(MailChannel.addresses("Mail", mail), MailChannel.addresses("From", from).get(0),
                    smtp.substring(0, colon), Integer.parseInt(smtp.substring(colon + 1)), yes(p, "STARTTLS"), login);
        } else {
            URI url = URI.create(webhook);
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new BadInputException("Webhook is an http(s) URL, not '" + webhook + "'");
            }
            Path secretFile = configDir.resolve(p.require("Secret-File").trim());
            byte[] secret = Files.readString(secretFile).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (secret.length < 16) {
                throw new BadInputException(secretFile + ": a webhook secret of 16 characters or more is needed");
            }
            channel = new WebhookChannel(url, secret);
        }
        Set<Event.Kind> events = EnumSet.allOf(Event.Kind.class);
        String listed = p.getOrDefault("Events", "").trim();
        if (!listed.isEmpty()) {
            events = EnumSet.noneOf(Event.Kind.class);
            for (String word : listed.split("[\\s,]+")) {
                events.add(Event.Kind.of(word));
            }
        }
        String urgency = p.getOrDefault("Urgency", "medium").trim();
        Urgency minimum = Urgency.of(urgency).orElseThrow(() -> new BadInputException("not an urgency: '" + urgency + "'"));
        String days = p.getOrDefault("Not-Installed-Days", "7").trim();
        if (!days.matches("\\d{1,4}") || Integer.parseInt(days) < 1) {
            throw new BadInputException("Not-Installed-Days is a number of days, 1 or more, not '" + days + "'");
        }
        String id = mail.isEmpty() ? "webhook " + webhook : "mail " + mail;
        return new Recipient(id, channel, events, minimum, Duration.ofDays(Integer.parseInt(days)));
    }

    private static boolean yes(Paragraph p, String field) {
        String v = p.getOrDefault(field, "no").trim();
        if (!v.equals("yes") && !v.equals("no")) {
            throw new BadInputException(field + " is yes or no, not '" + v + "'");
        }
        return v.equals("yes");
    }
}
