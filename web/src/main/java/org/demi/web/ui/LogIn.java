package org.demi.web.ui;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.demi.web.access.LogInThrottle;
import org.demi.web.access.PasswordHash;
import org.demi.web.access.Sessions;
import org.demi.web.access.User;
import org.demi.web.access.AuditLog;
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
 * {@code /login}: the form (GET) and the log-in itself (POST).
 * <ul>
 *   <li>The form belongs to a server-side pre-session: its cookie names it, the form carries its
 *       token, and a log-in needs both, so neither another site's form nor a cookie planted with
 *       a value of the attacker's choosing logs anyone in. A browser's cross-site POST (its
 *       {@code Sec-Fetch-Site} says so) is refused outright.</li>
 *   <li>Guesses are throttled ({@link LogInThrottle}) and answered 429 with Retry-After at
 *       once, never queued; an unknown user costs as long as a wrong password; at most two
 *       password hashes are worked on at once.</li>
 *   <li>The form's body is read without holding a thread while it arrives.</li>
 * </ul>
 */
final class LogIn extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(LogIn.class.getName());

    private final UsersFile users;
    private final Sessions sessions;
    private final LogInThrottle throttle;
    private final Answer answer;
    private final AuditLog audit;
    /** Argon2 takes 19 MiB and some tens of milliseconds of a core a guess: at most two are worked on at once. */
    private final Semaphore hashing = new Semaphore(2, true);
    /**
     * Of those two, attempts from addresses that failed recently may take one, and only when it
     * is free: the other stays for honest log-ins, which then wait for no guess.
     */
    private final Semaphore suspectHashing = new Semaphore(1);
    /** Compared with when a user name is unknown, so an unknown name costs as long as a wrong password. */
    private final String decoy;

    LogIn(UsersFile users, Sessions sessions, LogInThrottle throttle, SecureRandom random, Answer answer, AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.answer = answer;
        this.decoy = PasswordHash.hash(sessions.token(), random);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.POST.is(request.getMethod())) {
            form(request, response, callback, HttpStatus.OK_200, null, nextOf(Request.extractQueryParameters(request)));
            return true;
        }
        FormFields.onFields(request, Promise.Invocable.from(Invocable.InvocationType.BLOCKING, (Fields form, Throwable failure) -> {
            try {
                if (failure != null) {
                    form(request, response, callback, HttpStatus.BAD_REQUEST_400,
                            "The log-in form did not arrive whole; try again.", "/");
                } else {
                    logIn(request, response, callback, form);
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }));
        return true;
    }

    private void logIn(Request request, Response response, Callback callback, Fields form) throws Exception {
        String next = nextOf(form);
        if (crossSite(request)) {
            form(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "A log-in from another site's page is refused; open this server's log-in page and try again.", next);
            return;
        }
        String cookie = Cookies.value(request, Cookies.LOGIN);
        Optional<Sessions.PreSession> pre = sessions.preSession(cookie);
        if (pre.isEmpty() || !Csrf.matches(form.getValue("csrf"), pre.get().token())) {
            form(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "The log-in form had expired or did not come from this server; try again.", next);
            return;
        }
        String name = Optional.ofNullable(form.getValue("user")).orElse("");
        String password = Optional.ofNullable(form.getValue("password")).orElse("");
        String address = Request.getRemoteAddr(request);
        LogInThrottle.Decision d = throttle.attempt(address, name);
        if (!d.allowed()) {
            long seconds = Math.max(1, (d.retryAfter().get().toMillis() + 999) / 1000);
            if (d.report()) {
                record(address, name, "refused", d.reason() + "; further attempts from this address are refused for now");
                LOG.log(System.Logger.Level.WARNING, "log-in: " + d.reason() + " (user name '" + printable(name)
                        + "'); attempts from " + address + " are refused for now, reported once per "
                        + LogInThrottle.WINDOW.toMinutes() + " min");
            }
            tooMany(request, response, callback, seconds, next);
            return;
        }
        if (d.suspect() && !suspectHashing.tryAcquire()) {
            throttle.abandoned(address);
            tooMany(request, response, callback, 1, next);
            return;
        }
        boolean ok;
        try {
            Optional<User> user = users.read().stream().filter(u -> u.name().equals(name)).findFirst();
            ok = verify(password, user, d.suspect());
            if (ok) {
                throttle.succeeded(address, name);
                record(address, name, "ok", "");
                sessions.endPreSession(pre.get().id());
                Sessions.Session s = sessions.open(user.get());
                response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(request, Cookies.SESSION, s.id(), -1));
                response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(request, Cookies.LOGIN, "", 0));
                Answer.redirect(response, callback, next);
                return;
            }
        } catch (Exception | Error e) {
            throttle.abandoned(address);
            throw e;
        }
        throttle.failed(address, name);
        record(address, name, "failed", "wrong user name or password");
        form(request, response, callback, HttpStatus.UNAUTHORIZED_401, "Wrong user name or password.", next);
    }

    /** Checks a password in one of the two hashing slots; a suspect attempt holds its own slot already. */
    private boolean verify(String password, Optional<User> user, boolean suspect) throws InterruptedException {
        boolean held = false;
        try {
            hashing.acquire();
            held = true;
            return PasswordHash.verify(password, user.map(User::passwordHash).orElse(decoy)) && user.isPresent();
        } finally {
            if (held) {
                hashing.release();
            }
            if (suspect) {
                suspectHashing.release();
            }
        }
    }

    /** 429, with Retry-After, on the log-in form. */
    private void tooMany(Request request, Response response, Callback callback, long seconds, String next) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        form(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                "Too many failed log-ins; try again in " + inWords(seconds) + ".", next);
    }

    /**
     * What the browser itself says: a page of another origin posted this form, a sibling
     * subdomain included ({@code same-site}). Not compared with {@code Origin}, which a reverse
     * proxy in front of Demi would make differ from the request's own address.
     */
    static boolean crossSite(Request request) {
        String fetchSite = request.getHeaders().get("Sec-Fetch-Site");
        return fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
    }

    private void form(Request request, Response response, Callback callback, int status, String error, String next) {
        // Keep the browser's pre-session while it is live: two log-in pages open at once (or one
        // fetched behind the scenes) must not invalidate each other's forms.
        Sessions.PreSession pre = sessions.preSession(Cookies.value(request, Cookies.LOGIN)).orElseGet(sessions::preSession);
        response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(request, Cookies.LOGIN, pre.id(),
                Sessions.PRE_SESSION_LIFETIME.toSeconds()));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("view", new View(null, null, pre.token(), java.util.List.of()));
        model.put("next", next);
        model.put("error", error);
        answer.html(response, callback, status, "login.jte", model);
    }

    private static String inWords(long seconds) {
        return seconds == 1 ? "1 second" : seconds < 120 ? seconds + " seconds"
                : Duration.ofSeconds(seconds).toMinutes() + 1 + " minutes";
    }

    /** A log-in attempt, as the audit log keeps it: the name tried (made printable), from where, how it ended. */
    private void record(String address, String name, String outcome, String detail) throws java.io.IOException {
        audit.record(printable(name), address, "login", printable(name), outcome, detail);
    }

    /** A name someone typed, printable and at most 64 characters, for the log and the audit log. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
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
