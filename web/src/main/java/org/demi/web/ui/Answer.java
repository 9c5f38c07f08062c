package org.demi.web.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** How the web interface answers: a page from its templates (escaping everything), JSON, plain text, a redirect. */
final class Answer {
    private static final ObjectMapper JSON = org.demi.web.json.Json.MAPPER;

    /** Room for a page at first; it doubles as it fills (a package's page of 100 rows is about 100 KB). */
    private static final int PAGE = 64 * 1024;

    /** The pages' templates, compiled with the server. */
    static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Answer.class.getClassLoader(), "org.demi.web.ui.templates");

    /** A page rendered as UTF-8 (the templates' fixed text already is), into the bytes sent. */
    static PageBytes render(String template, Map<String, Object> model) {
        PageBytes out = new PageBytes(PAGE);
        TEMPLATES.render(template, model, out);
        return out;
    }

    void html(Response response, Callback callback, int status, String template, Map<String, Object> model) {
        PageBytes out = render(template, model);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, out.buffer(), callback);
    }

    /** The error page, for someone logged in ({@code view}) or not. */
    void error(Response response, Callback callback, View view, int status, String title, String message) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("view", view);
        model.put("title", title);
        model.put("message", message);
        html(response, callback, status, "error.jte", model);
    }

    /** A search that could not run: the page's search box with the query as typed, and why. */
    void badSearch(Response response, Callback callback, View view, String path, String query, String reason) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("view", view);
        model.put("title", "Bad search");
        model.put("message", reason);
        model.put("searchPath", path);
        model.put("query", query == null ? "" : query);
        html(response, callback, HttpStatus.BAD_REQUEST_400, "error.jte", model);
    }

    /**
     * Nothing here: for a form, "nothing takes a form"; for a page, the error page; for the API,
     * a JSON error.
     */
    void notFound(Request request, Response response, Callback callback, View view) throws IOException {
        String path = Request.getPathInContext(request);
        if (HttpMethod.POST.is(request.getMethod())) {
            error(response, callback, view, HttpStatus.NOT_FOUND_404, "Not found", "Nothing takes a form at " + path + ".");
        } else if (PageHandler.isApi(path)) {
            json(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "nothing at " + PageHandler.route(path)));
        } else {
            error(response, callback, view, HttpStatus.NOT_FOUND_404, "Not found", "Demi knows nothing at " + path + ".");
        }
    }

    static void json(Response response, Callback callback, int status, Object value) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(value)), callback);
    }

    static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    static void redirect(Response response, Callback callback, String location) {
        response.setStatus(HttpStatus.SEE_OTHER_303);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.write(true, null, callback);
    }
}
