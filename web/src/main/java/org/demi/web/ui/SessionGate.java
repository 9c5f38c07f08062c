package org.demi.web.ui;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.demi.web.access.Sessions;
import org.demi.web.access.User;
import org.demi.web.access.UsersFile;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Nothing behind this answers without a live session whose user still exists with the password
 * it logged in with: a page asked
 * for without one redirects to log-in (and back afterwards), the API answers 401, a form
 * 403. A form must also carry the session's CSRF token. What passes reaches the handlers with
 * the session's {@link View} (and a form's fields) as request attributes.
 */
final class SessionGate extends Handler.Wrapper {
    private static final String VIEW = SessionGate.class.getName() + ".view";
    private static final String SESSION = SessionGate.class.getName() + ".session";
    private static final String FORM = SessionGate.class.getName() + ".form";

    private final Sessions sessions;
    private final UsersFile users;
    private final Answer answer;
    private final java.util.function.Supplier<java.util.List<String>> warnings;

    SessionGate(Sessions sessions, UsersFile users, Answer answer, java.util.function.Supplier<java.util.List<String>> warnings,
            Handler next) {
        super(next);
        this.warnings = warnings;
        this.sessions = sessions;
        this.users = users;
        this.answer = answer;
    }

    /** Who is asking, as the gate let them through. */
    static View view(Request request) {
        return (View) request.getAttribute(VIEW);
    }

    static Sessions.Session session(Request request) {
        return (Sessions.Session) request.getAttribute(SESSION);
    }

    /** The fields of the form a POST carried, already read by the gate. */
    static Fields form(Request request) {
        return (Fields) request.getAttribute(FORM);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean post = HttpMethod.POST.is(request.getMethod());
        Optional<Sessions.Session> session = live(request);
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (session.isEmpty() && auth != null && auth.startsWith("Bearer ")) {
            return byToken(request, response, callback, auth.substring("Bearer ".length()).strip(), post);
        }
        if (session.isEmpty()) {
            if (PageHandler.isApi(path)) {
                Answer.json(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of("error", "log in first: POST /login"));
            } else if (!post) {
                String query = request.getHttpURI().getQuery();
                String next = path + (query == null ? "" : "?" + query);
                Response.sendRedirect(request, response, callback, HttpStatus.SEE_OTHER_303, "/login?next=" + Links.encode(next), false);
            } else {
                Answer.text(response, callback, HttpStatus.FORBIDDEN_403, "log in first\n");
            }
            return true;
        }
        Sessions.Session s = session.get();
        View view = new View(s.user(), s.role(), s.csrf(), warnings.get());
        request.setAttribute(VIEW, view);
        request.setAttribute(SESSION, s);
        if (!post) {
            return super.handle(request, response, callback);
        }
        // The form is read without holding a thread while it arrives; then the request goes on.
        FormFields.onFields(request, Promise.Invocable.from(Invocable.InvocationType.BLOCKING, (Fields form, Throwable failure) -> {
            try {
                if (failure != null) {
                    answer.error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Refused", "The form did not arrive whole.");
                } else if (!Csrf.matches(form.getValue("csrf"), s.csrf())) {
                    answer.error(response, callback, view, HttpStatus.FORBIDDEN_403, "Refused",
                            "This form did not carry this session's CSRF token; reload the page and try again.");
                } else {
                    request.setAttribute(FORM, form);
                    if (!super.handle(request, response, callback)) {
                        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    }
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }));
        return true;
    }

    /**
     * A script with a user's API token: it reads what the user may read, and submits no form (a
     * token in a header is no proof that a person meant to submit it, and forms carry no CSRF
     * token for it).
     */
    private boolean byToken(Request request, Response response, Callback callback, String token, boolean post) throws Exception {
        Optional<String> name = users.apiTokens().nameOf(token);
        Optional<User> user = name.isPresent() ? users.find(name.get()) : Optional.empty();
        if (user.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"demi\"");
            Answer.json(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of("error", "unknown or revoked API token"));
            return true;
        }
        if (post) {
            Answer.json(response, callback, HttpStatus.FORBIDDEN_403, Map.of("error",
                    "an API token reads; changes are made by a person logged in (or with the demi command)"));
            return true;
        }
        request.setAttribute(VIEW, new View(user.get().name(), user.get().role(), "", warnings.get()));
        return super.handle(request, response, callback);
    }

    /** The session named by the cookie, if it is live and its user still exists (with the role the users file now gives). */
    private Optional<Sessions.Session> live(Request request) throws IOException {
        Optional<Sessions.Session> s = sessions.find(Cookies.value(request, Cookies.SESSION));
        if (s.isEmpty()) {
            return s;
        }
        Optional<User> user = users.find(s.get().user());
        if (user.isEmpty() || !user.get().passwordHash().equals(s.get().passwordHash())) {
            // Removed, or given a new password (here or with demi users add): this session ends.
            sessions.close(s.get().id());
            return Optional.empty();
        }
        Sessions.Session live = s.get();
        return Optional.of(new Sessions.Session(live.id(), live.user(), user.get().role(), live.csrf(), live.created(), live.lastUsed(),
                live.passwordHash()));
    }
}
