package org.demi.web.ui;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.deb.BadInputException;
import org.demi.web.access.AuditEvent;
import org.demi.web.access.AuditLog;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /audit} (and {@code /api/v1/audit}): the audit log, newest first, for admins only: it
 * names users and their addresses. {@code q} filters it ({@link AuditLog#find}), {@code
 * format=csv} or {@code json} exports what the filter chose, whole.
 */
final class AuditHandler extends Handler.Abstract {
    private static final List<Column> COLUMNS = List.of(new Column("time", "Time (UTC)", false), new Column("actor", "Who", false),
            new Column("from", "From", false), new Column("action", "Action", false), new Column("subject", "On", false),
            new Column("outcome", "Outcome", false), new Column("detail", "Detail", false));

    private final AuditLog audit;
    private final Answer answer;

    AuditHandler(AuditLog audit, Answer answer) {
        this.audit = audit;
        this.answer = answer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        View view = SessionGate.view(request);
        if (!view.admin()) {
            answer.error(response, callback, view, HttpStatus.FORBIDDEN_403, "Refused", "Only an admin reads the audit log.");
            return true;
        }
        if (SessionGate.form(request) != null) {
            answer.notFound(request, response, callback, view); // it is read, never written, from the web
            return true;
        }
        Fields query = Request.extractQueryParameters(request);
        String format = PageHandler.format(request, query);
        String q = query.getValue("q");
        List<AuditEvent> found;
        int offset;
        try {
            found = audit.find(q);
            offset = Math.max(0, Integer.parseInt(Optional.ofNullable(query.getValue("offset")).orElse("0")));
        } catch (BadInputException | NumberFormatException e) {
            answer.error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad request", e.getMessage());
            return true;
        }
        boolean export = !format.equals("html");
        int limit = export ? found.size() : Pages.DEFAULT_LIMIT;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AuditEvent e : found.subList(Math.min(offset, found.size()), Math.min(found.size(), offset + limit))) {
            rows.add(new LinkedHashMap<>(e.fields()));
        }
        Table table = new Table("audit", "Who did what, newest first", "/audit", COLUMNS, rows, found.size(), offset, Math.max(1, limit),
                q, "", Map.of());
        switch (format) {
            case "json" -> Answer.json(response, callback, HttpStatus.OK_200, rows);
            case "csv" -> {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/csv; charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"demi-audit.csv\"");
                response.write(true, ByteBuffer.wrap(Csv.of(table).getBytes(StandardCharsets.UTF_8)), callback);
            }
            case "html" -> answer.html(response, callback, HttpStatus.OK_200, "page.jte", Map.of("view", view, "page",
                    new Page("Audit log", "/audit", List.of(new Fact("Entries", found.size())), List.of(), List.of(table))));
            default -> answer.error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad request",
                    "format is html, json or csv, not '" + format + "'");
        }
        return true;
    }
}
