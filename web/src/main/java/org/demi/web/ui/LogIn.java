package org.demi.web.ui;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.demi.web.access.PasswordHash;
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

/**
 * {@code /login}: the form (GET) and the log-in itself (POST). The form carries a token bound to
 * a cookie of its own, so a log-in form from another site is refused; an unknown user costs as
 * long as a wrong password; at most two password hashes are worked on at once.
 */
final class LogIn extends Handler.Abstract {
    private final UsersFile users;
    private final Sessions sessions;
    private final Answer answer;
    /** Argon2 takes 64 MiB a guess: at most two guesses are worked on at once, however many arrive. */
    private final Semaphore hashing = new Semaphore(2, true);
    /** Compared with when a user name is unknown, so an unknown name costs as long as a wrong password. */
    private final String decoy;

    LogIn(UsersFile users, Sessions sessions, SecureRandom random, Answer answer) {
        this.users = users;
        this.sessions = sessions;
        this.answer = answer;
        this.decoy = PasswordHash.hash(sessions.token(), random);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.POST.is(request.getMethod())) {
            logIn(request, response, callback);
        } else {
            form(request, response, callback, HttpStatus.OK_200, null, nextOf(Request.extractQueryParameters(request)));
        }
        return true;
    }

    private void logIn(Request request, Response response, Callback callback) throws Exception {
        Fields form = FormFields.getFields(request);
        String next = nextOf(form);
        if (!Csrf.matches(form.getValue("csrf"), Cookies.value(request, Cookies.LOGIN))) {
            form(request, response, callback, HttpStatus.FORBIDDEN_403,
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
            form(request, response, callback, HttpStatus.UNAUTHORIZED_401, "Wrong user name or password.", next);
            return;
        }
        Sessions.Session s = sessions.open(user.get());
        response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(Cookies.SESSION, s.id(), -1));
        response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(Cookies.LOGIN, "", 0));
        Answer.redirect(response, callback, next);
    }

    private void form(Request request, Response response, Callback callback, int status, String error, String next) {
        // Keep the browser's token if it has one: two log-in pages open at once (or one fetched
        // behind the scenes) must not invalidate each other's forms.
        String token = Cookies.value(request, Cookies.LOGIN);
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            token = sessions.token();
        }
        response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(Cookies.LOGIN, token, 3600));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("view", new View(null, null, token));
        model.put("next", next);
        model.put("error", error);
        answer.html(response, callback, status, "login.jte", model);
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
}
