package org.demi.web.ui;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.deb.BadInputException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The compliance pages, each at {@code /PATH} as HTML and at {@code /api/v1/PATH} as JSON, a
 * list's export at {@code ?format=csv} or {@code json}. The routes are URI templates, one line
 * each; the page itself is made by {@link Pages}.
 */
final class PageHandler extends Handler.Abstract {
    private static final String API = "/api/v1";
    private static final List<String> FORMATS = List.of("html", "json", "csv");

    /** A page, given the template's parameters and the list's search, sort and paging. */
    private interface Route {
        Optional<Page> page(Map<String, String> params, Pages.ListParams list) throws IOException;
    }

    private final Answer answer;
    private final org.demi.web.metrics.Metrics metrics;
    private final PathMappings<Route> routes = new PathMappings<>();
    private final Turns turns;

    PageHandler(Pages pages, Answer answer, org.demi.web.metrics.Metrics metrics, Turns turns) {
        this.answer = answer;
        this.metrics = metrics;
        this.turns = turns;
        routes.put(new UriTemplatePathSpec("/"), (v, p) -> Optional.of(pages.overview()));
        routes.put(new UriTemplatePathSpec("/hosts"), (v, p) -> Optional.of(pages.hosts(p)));
        routes.put(new UriTemplatePathSpec("/hosts/{host}"), (v, p) -> pages.host(v.get("host"), p));
        routes.put(new UriTemplatePathSpec("/packages"), (v, p) -> Optional.of(pages.packages(p)));
        routes.put(new UriTemplatePathSpec("/packages/{name}"), (v, p) -> pages.packageName(v.get("name"), p));
        routes.put(new UriTemplatePathSpec("/advisories"), (v, p) -> Optional.of(pages.advisories(p)));
        routes.put(new UriTemplatePathSpec("/advisories/{id}"), (v, p) -> pages.advisory(v.get("id"), p));
        routes.put(new UriTemplatePathSpec("/cves"), (v, p) -> Optional.of(pages.cves(p)));
        routes.put(new UriTemplatePathSpec("/cves/{cve}"), (v, p) -> pages.cve(v.get("cve"), p));
        routes.put(new UriTemplatePathSpec("/mirror"), (v, p) -> Optional.of(pages.mirror()));
    }

    static boolean isApi(String path) {
        return path.equals(API) || path.startsWith(API + "/");
    }

    /** The page's path without the API's prefix: {@code /api/v1/hosts} is {@code /hosts}. */
    static String route(String path) {
        String route = isApi(path) ? path.substring(API.length()) : path;
        return route.isEmpty() ? "/" : route;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = System.nanoTime();
        MatchedResource<Route> match = routes.getMatched(route(Request.getPathInContext(request)));
        Fields query = Request.extractQueryParameters(request);
        String format = format(request, query);
        try {
            if (!turns.take()) {
                busy(request, response, callback, format);
                return true;
            }
            try {
                return answer(request, response, callback, match, query, format);
            } finally {
                turns.leave();
            }
        } finally {
            // By the route's template, never the path asked for: one series per page kind, however many hosts.
            metrics.page(match == null ? "unknown" : match.getPathSpec().getDeclaration(), FORMATS.contains(format) ? format : "other",
                    System.nanoTime() - started);
        }
    }

    private boolean answer(Request request, Response response, Callback callback, MatchedResource<Route> match, Fields query,
            String format) throws Exception {
        View view = SessionGate.view(request);
        String path = Request.getPathInContext(request);
        if (HttpMethod.POST.is(request.getMethod()) || match == null) {
            answer.notFound(request, response, callback, view);
            return true;
        }
        if (!FORMATS.contains(format)) {
            answer.error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad request", "format is html, json or csv, not '" + format + "'");
            return true;
        }
        Optional<Page> page;
        try {
            Map<String, String> params = ((UriTemplatePathSpec) match.getPathSpec()).getPathParams(route(path));
            page = match.getResource().page(params, params(query, format));
        } catch (BadInputException e) {
            if (format.equals("html")) {
                answer.badSearch(response, callback, view, route(path), query.getValue("q"), e.getMessage());
            } else {
                Answer.json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", e.getMessage()));
            }
            return true;
        }
        if (page.isEmpty()) {
            answer.notFound(request, response, callback, view);
            return true;
        }
        switch (format) {
            case "json" -> Answer.json(response, callback, HttpStatus.OK_200, page.get());
            case "csv" -> {
                String wanted = query.getValue("table");
                Optional<Table> chosen = wanted == null ? Optional.of(page.get().tables().get(0))
                        : page.get().tables().stream().filter(x -> x.id().equals(wanted)).findFirst();
                if (chosen.isEmpty()) {
                    answer.error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad request", "table is one of "
                            + String.join(", ", page.get().tables().stream().map(Table::id).toList()) + ", not '" + wanted + "'");
                    return true;
                }
                Table t = chosen.get();
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/csv; charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"demi-" + t.id() + ".csv\"");
                response.write(true, ByteBuffer.wrap(Csv.of(t).getBytes(StandardCharsets.UTF_8)), callback);
            }
            default -> answer.html(response, callback, HttpStatus.OK_200, "page.jte", Map.of("view", view, "page", page.get()));
        }
        return true;
    }

    /** No turn came to make the page in (see {@link Turns}): 503, to be asked again in a while. */
    private void busy(Request request, Response response, Callback callback, String format) throws IOException {
        String why = "the server is answering more questions than it can at once; ask again in a few seconds";
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        if (format.equals("html")) {
            answer.error(response, callback, SessionGate.view(request), HttpStatus.SERVICE_UNAVAILABLE_503, "Busy", why);
        } else {
            Answer.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Map.of("error", why));
        }
    }

    /** What the answer is asked in: json under /api/v1, else the format parameter's, html by default. */
    static String format(Request request, Fields query) {
        return isApi(Request.getPathInContext(request)) ? "json" : Optional.ofNullable(query.getValue("format")).orElse("html");
    }

    private static Pages.ListParams params(Fields query, String format) {
        boolean export = !format.equals("html");
        int limit = integer(query, "limit", export ? Pages.MAX_LIMIT : Pages.DEFAULT_LIMIT);
        if (!export) {
            limit = Math.min(limit, Pages.PAGE_LIMIT); // what a browser renders; the exports give everything
        }
        return new Pages.ListParams(query.getValue("q"), query.getValue("sort"), integer(query, "offset", 0), limit,
                query.getValue("q") != null, !format.equals("csv"));
    }

    private static int integer(Fields query, String name, int otherwise) {
        String v = query.getValue(name);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(name + " must be a number, not '" + v + "'");
        }
    }
}
