package org.demi.web.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.demi.web.access.PasswordHash;
import org.demi.web.access.Role;
import org.demi.web.access.Sessions;
import org.demi.web.access.User;
import org.demi.web.access.UsersFile;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.demi.deb.BadInputException;

/**
 * The web interface and its JSON twin: every page at {@code /PATH} is also at
 * {@code /api/v1/PATH} as JSON, and its list exports with {@code ?format=csv} or {@code json}.
 * <pre>
 * /                      overview          /advisories, /advisories/ID   advisories and their hosts
 * /hosts, /hosts/HOST    hosts, drill-down /cves/CVE                     a CVE's advisories and packages
 * /packages, /packages/NAME                /mirror                       the mirror's suites
 * /login, /logout        sessions          /users                        accounts (admin)
 * </pre>
 * Nothing here answers without a session but the log-in page and the style sheet: compliance
 * data is an attacker's map. Pages without a session redirect to log-in, the API answers 401.
 * Every POST carries the session's CSRF token (the log-in form a token of its own, bound to a
 * cookie), every response the security headers, and everything shown is escaped by the
 * templates.
 */
public final class WebHandler extends Handler.Abstract {
    static final String SESSION_COOKIE = "demi_session";
    static final String LOGIN_COOKIE = "demi_login";
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Pages pages;
    private final UsersFile users;
    private final Sessions sessions;
    private final SecureRandom random;
    private final TemplateEngine templates;
    private final byte[] css;
    /** Argon2 takes 64 MiB a guess: at most two guesses are worked on at once, however many arrive. */
    private final Semaphore hashing = new Semaphore(2, true);
    /** Compared with when a user name is unknown, so an unknown name costs as long as a wrong password. */
    private final String decoy;

    public WebHandler(Pages pages, UsersFile users, Sessions sessions, SecureRandom random) throws IOException {
        this.pages = pages;
        this.users = users;
        this.sessions = sessions;
        this.random = random;
        this.templates = TemplateEngine.createPrecompiled(null, ContentType.Html, WebHandler.class.getClassLoader(),
                "org.demi.web.ui.templates");
        try (InputStream in = WebHandler.class.getResourceAsStream("demi.css")) {
            this.css = in.readAllBytes();
        }
        this.decoy = PasswordHash.hash(sessions.token(), random);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.startsWith("/debian/") || path.startsWith("/push/")) {
            return false; // the repository's and the push endpoint's own namespaces: not found there is not found
        }
        headers(response);
        if (path.equals("/static/demi.css")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/css; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
            response.write(true, ByteBuffer.wrap(css), callback);
            return true;
        }
        boolean post = HttpMethod.POST.is(request.getMethod());
        boolean get = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        if (!post && !get) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
            text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed\n");
            return true;
        }
        if (path.equals("/login")) {
            if (post) {
                login(request, response, callback);
            } else {
                loginPage(request, response, callback, HttpStatus.OK_200, null, nextOf(Request.extractQueryParameters(request)));
            }
            return true;
        }
        Optional<Sessions.Session> session = session(request);
        boolean api = path.equals("/api/v1") || path.startsWith("/api/v1/");
        if (session.isEmpty()) {
            if (api) {
                json(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of("error", "log in first: POST /login"));
            } else if (get) {
                String query = request.getHttpURI().getQuery();
                String next = path + (query == null ? "" : "?" + query);
                Response.sendRedirect(request, response, callback, HttpStatus.SEE_OTHER_303,
                        "/login?next=" + Links.encode(next), false);
            } else {
                text(response, callback, HttpStatus.FORBIDDEN_403, "log in first\n");
            }
            return true;
        }
        Sessions.Session s = session.get();
        View view = new View(s.user(), s.role(), s.csrf());
        if (post) {
            Fields form = FormFields.getFields(request);
            String token = form.getValue("csrf");
            if (token == null || !java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    s.csrf().getBytes(StandardCharsets.UTF_8))) {
                error(response, callback, view, HttpStatus.FORBIDDEN_403, "Refused",
                        "This form did not carry this session's CSRF token; reload the page and try again.");
                return true;
            }
            post(path, form, s, view, response, callback);
            return true;
        }
        String route = api ? path.substring("/api/v1".length()) : path;
        if (route.isEmpty()) {
            route = "/";
        }
        Fields query = Request.extractQueryParameters(request);
        String format = api ? "json" : Optional.ofNullable(query.getValue("format")).orElse("html");
        if (!List.of("html", "json", "csv").contains(format)) {
            error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad request", "format is html, json or csv, not '" + format + "'");
            return true;
        }
        if (route.equals("/users")) {
            usersPage(view, format, null, response, callback);
            return true;
        }
        Pages.ListParams params;
        Optional<Page> page;
        try {
            params = params(query, !format.equals("html"));
            page = route(route, params);
        } catch (BadInputException e) {
            if (format.equals("html")) {
                error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad search", e.getMessage());
            } else {
                json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", e.getMessage()));
            }
            return true;
        }
        if (page.isEmpty()) {
            if (format.equals("html")) {
                error(response, callback, view, HttpStatus.NOT_FOUND_404, "Not found", "Demi knows nothing at " + route + ".");
            } else {
                json(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "nothing at " + route));
            }
            return true;
        }
        switch (format) {
            case "json" -> json(response, callback, HttpStatus.OK_200, page.get());
            case "csv" -> {
                String wanted = query.getValue("table");
                Table t = page.get().tables().stream().filter(x -> x.id().equals(wanted)).findFirst()
                        .orElse(page.get().tables().get(0));
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/csv; charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"demi-" + t.id() + ".csv\"");
                response.write(true, ByteBuffer.wrap(Csv.of(t).getBytes(StandardCharsets.UTF_8)), callback);
            }
            default -> html(response, callback, HttpStatus.OK_200, "page.jte", Map.of("view", view, "page", page.get()));
        }
        return true;
    }

    private Optional<Page> route(String route, Pages.ListParams p) throws IOException {
        if (route.equals("/")) {
            return Optional.of(pages.overview());
        }
        if (route.equals("/hosts")) {
            return Optional.of(pages.hosts(p));
        }
        if (route.equals("/packages")) {
            return Optional.of(pages.packages(p));
        }
        if (route.equals("/advisories")) {
            return Optional.of(pages.advisories(p));
        }
        if (route.equals("/mirror")) {
            return Optional.of(pages.mirror());
        }
        String[] parts = route.split("/", -1);
        if (parts.length == 3 && !parts[2].isEmpty()) {
            String name = parts[2];
            return switch (parts[1]) {
                case "hosts" -> pages.host(name, p);
                case "packages" -> Optional.of(pages.packageName(name, p));
                case "advisories" -> pages.advisory(name, p);
                case "cves" -> Optional.of(pages.cve(name, p));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    private static Pages.ListParams params(Fields query, boolean export) {
        int limit = integer(query, "limit", export ? Pages.MAX_LIMIT : Pages.DEFAULT_LIMIT);
        return new Pages.ListParams(query.getValue("q"), query.getValue("sort"), integer(query, "offset", 0), limit);
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

    private void post(String path, Fields form, Sessions.Session s, View view, Response response, Callback callback) throws IOException {
        switch (path) {
            case "/logout" -> {
                sessions.close(s.id());
                response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(SESSION_COOKIE, "", 0));
                redirect(response, callback, "/login");
            }
            case "/users/add", "/users/remove" -> {
                if (s.role() != Role.ADMIN) {
                    error(response, callback, view, HttpStatus.FORBIDDEN_403, "Refused", "Only an admin manages users.");
                    return;
                }
                String message;
                try {
                    String name = User.checkName(form.getValue("user"));
                    if (path.equals("/users/add")) {
                        String password = Optional.ofNullable(form.getValue("password")).orElse("");
                        User.checkPassword(password);
                        users.put(new User(name, Role.of(Optional.ofNullable(form.getValue("role")).orElse("viewer")),
                                PasswordHash.hash(password, random)));
                        message = "User " + name + " saved.";
                    } else if (name.equals(s.user())) {
                        throw new BadInputException("you cannot remove yourself");
                    } else {
                        message = users.remove(name) ? "User " + name + " removed." : "There is no user " + name + ".";
                    }
                    if (!name.equals(s.user())) {
                        sessions.closeAll(name);
                    }
                } catch (BadInputException e) {
                    message = "Not saved: " + e.getMessage();
                }
                usersPage(view, "html", message, response, callback);
            }
            default -> error(response, callback, view, HttpStatus.NOT_FOUND_404, "Not found", "Nothing takes a form at " + path + ".");
        }
    }

    private void usersPage(View view, String format, String message, Response response, Callback callback) throws IOException {
        if (!view.admin()) {
            error(response, callback, view, HttpStatus.FORBIDDEN_403, "Refused", "Only an admin manages users.");
            return;
        }
        List<User> list = users.read();
        if (format.equals("html")) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("view", view);
            model.put("users", list);
            model.put("message", message);
            html(response, callback, HttpStatus.OK_200, "users.jte", model);
        } else {
            json(response, callback, HttpStatus.OK_200, list.stream().map(u -> Map.of("user", u.name(), "role", u.role().word())).toList());
        }
    }

    private void login(Request request, Response response, Callback callback) throws Exception {
        Fields form = FormFields.getFields(request);
        String next = nextOf(form);
        String token = form.getValue("csrf");
        String bound = cookieValue(request, LOGIN_COOKIE);
        if (token == null || bound == null || !java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                bound.getBytes(StandardCharsets.UTF_8))) {
            loginPage(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "The log-in form had expired or did not come from this server; try again.", next);
            return;
        }
        String name = Optional.ofNullable(form.getValue("user")).orElse("");
        String password = Optional.ofNullable(form.getValue("password")).orElse("");
        Optional<User> user = users.read().stream().filter(u -> u.name().equals(name)).findFirst();
        boolean ok;
        hashing.acquire();
        try {
            ok = PasswordHash.verify(password, user.map(User::passwordHash).orElse(decoy)) && user.isPresent();
        } finally {
            hashing.release();
        }
        if (!ok) {
            loginPage(request, response, callback, HttpStatus.UNAUTHORIZED_401, "Wrong user name or password.", next);
            return;
        }
        Sessions.Session s = sessions.open(user.get());
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(SESSION_COOKIE, s.id(), -1));
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(LOGIN_COOKIE, "", 0));
        redirect(response, callback, next);
    }

    private void loginPage(Request request, Response response, Callback callback, int status, String error, String next) {
        // Keep the browser's token if it has one: two log-in pages open at once (or one fetched
        // behind the scenes) must not invalidate each other's forms.
        String token = cookieValue(request, LOGIN_COOKIE);
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            token = sessions.token();
        }
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(LOGIN_COOKIE, token, 3600));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("view", new View(null, null, token));
        model.put("next", next);
        model.put("error", error);
        html(response, callback, status, "login.jte", model);
    }

    /** Where to go after log-in: a path on this server only, never another site. */
    static String nextOf(Fields fields) {
        String next = fields.getValue("next");
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.startsWith("/login")
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/";
        }
        return next;
    }

    /** The session named by the cookie, if it is live and its user still exists (with the role the users file now gives). */
    private Optional<Sessions.Session> session(Request request) throws IOException {
        Optional<Sessions.Session> s = sessions.find(cookieValue(request, SESSION_COOKIE));
        if (s.isEmpty()) {
            return s;
        }
        Optional<User> user = users.find(s.get().user());
        if (user.isEmpty()) {
            sessions.close(s.get().id());
            return Optional.empty();
        }
        Sessions.Session live = s.get();
        return Optional.of(new Sessions.Session(live.id(), live.user(), user.get().role(), live.csrf(), live.created(), live.lastUsed()));
    }

    private static String cookieValue(Request request, String name) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    /** A cookie scripts cannot read and other sites' requests do not carry; maxAge -1 for the browser session, 0 to delete. */
    static String cookie(String name, String value, long maxAge) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    private static void headers(Response response) {
        var h = response.getHeaders();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "same-origin");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    private static void redirect(Response response, Callback callback, String location) {
        response.setStatus(HttpStatus.SEE_OTHER_303);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.write(true, null, callback);
    }

    private void error(Response response, Callback callback, View view, int status, String title, String message) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("view", view);
        model.put("title", title);
        model.put("message", message);
        html(response, callback, status, "error.jte", model);
    }

    private void html(Response response, Callback callback, int status, String template, Map<String, Object> model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static void json(Response response, Callback callback, int status, Object value) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(value)), callback);
    }

    private static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
