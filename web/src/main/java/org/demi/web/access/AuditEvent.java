package org.demi.web.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the audit log: when, who (a user of the web interface, or the system user who ran
 * the demi command), from where (the client's address, or "command line", or "schedule"), what
 * ({@code login}, {@code users add}, {@code hosts trust}, ...), on what (the user, host or file
 * named), how it ended ({@code ok}, {@code failed}, {@code refused}) and anything more.
 */
public record AuditEvent(Instant time, String actor, String from, String action, String subject, String outcome, String detail) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields, in the order the page, the CSV and {@code demi audit} show them. */
    public static final java.util.List<String> FIELDS = java.util.List.of("time", "actor", "from", "action", "subject", "outcome",
            "detail");

    public AuditEvent {
        actor = actor == null ? "" : actor;
        from = from == null ? "" : from;
        subject = subject == null ? "" : subject;
        outcome = outcome == null ? "" : outcome;
        detail = detail == null ? "" : detail;
    }

    /** The fields by name, as text. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("time", time.toString());
        m.put("actor", actor);
        m.put("from", from);
        m.put("action", action);
        m.put("subject", subject);
        m.put("outcome", outcome);
        m.put("detail", detail);
        return m;
    }

    /** One line of JSON, newline included: what the log holds. */
    String line() {
        ObjectNode o = JSON.createObjectNode();
        fields().forEach(o::put);
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry could not be written as JSON", e);
        }
    }

    /** The entry a line holds, or empty for a line torn by a crash mid-append or otherwise not an entry. */
    static Optional<AuditEvent> parse(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.isObject() || !o.path("time").isTextual() || !o.path("action").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new AuditEvent(Instant.parse(o.get("time").asText()), o.path("actor").asText(), o.path("from").asText(),
                    o.get("action").asText(), o.path("subject").asText(), o.path("outcome").asText(), o.path("detail").asText()));
        } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
