package org.demi.web.notify;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.demi.deb.BadInputException;

/**
 * Mail through an SMTP server, with Jakarta Mail (Eclipse Angus). Not through the system's
 * sendmail: the service runs with NoNewPrivileges, and the usual sendmail programs need their
 * setgid bit to queue; an MTA on the machine listens on localhost:25 anyway.
 *
 * @param starttls insist on STARTTLS before anything is sent
 * @param login    SMTP authentication, user and password, if the server wants it
 */
public record MailChannel(List<InternetAddress> to, InternetAddress from, String host, int port, boolean starttls,
        Optional<String[]> login) implements Channel {
    static final int TIMEOUT_MILLIS = 15_000;

    public MailChannel {
        to = List.copyOf(to);
    }

    static List<InternetAddress> addresses(String field, String text) {
        try {
            InternetAddress[] parsed = InternetAddress.parse(text, true);
            if (parsed.length == 0) {
                throw new BadInputException(field + " names no address");
            }
            return List.of(parsed);
        } catch (AddressException e) {
            throw new BadInputException(field + ": not a mail address list: " + e.getMessage());
        }
    }

    @Override
    public void send(Message m) throws IOException {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
        p.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MILLIS));
        p.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MILLIS));
        if (starttls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        login.ifPresent(l -> p.put("mail.smtp.auth", "true"));
        Session session = Session.getInstance(p);
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(from);
            mail.setRecipients(RecipientType.TO, to.toArray(InternetAddress[]::new));
            mail.setSubject("[demi] " + m.subject(), "UTF-8");
            mail.setText(m.text(), "UTF-8");
            mail.setSentDate(new Date());
            mail.setHeader("X-Demi-Event", m.kind());
            if (login.isPresent()) {
                Transport.send(mail, login.get()[0], login.get()[1]);
            } else {
                Transport.send(mail);
            }
        } catch (MessagingException e) {
            throw new IOException("mail to " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "mail to " + String.join(", ", to.stream().map(InternetAddress::getAddress).toList()) + " via " + host + ":" + port;
    }
}
