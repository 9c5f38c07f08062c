package org.demi.web.ui;

import java.io.IOException;
import java.security.SecureRandom;
import org.demi.web.access.LogInThrottle;
import org.demi.web.access.Sessions;
import org.demi.web.access.UsersFile;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web interface and its JSON twin, as one handler tree drawn here:
 * <pre>
 * WebInterface                            not /debian/ or /push/: theirs
 *  └─ SecurityHeaders                     CSP without scripts, no framing, no sniffing, no caching
 *      └─ AllowedMethods                  GET, HEAD and POST
 *          └─ Routes
 *              ├─ /static/demi.css        StyleSheet
 *              ├─ /login                  LogIn            the form and its pre-session; throttled guesses
 *              └─ /                       SessionGate      a live session, and a form's CSRF token
 *                  └─ Routes
 *                      ├─ /logout                        LogOut
 *                      ├─ /metrics                       MetricsHandler (Prometheus' text format; a token is how Prometheus asks)
 *                      ├─ /audit, /api/v1/audit          AuditHandler   (admins) the audit log, filtered, CSV
 *                      ├─ /hosts/HOST/sbom               SbomHandler    the host's CycloneDX SBOM with VEX
 *                      ├─ /users, /api/v1/users,
 *                      │  /users/add, /users/remove      UsersHandler   (admins)
 *                      └─ /                              PageHandler    the pages, /api/v1/..., exports
 * </pre>
 * Nothing but the log-in page and the style sheet answers without a session: compliance data
 * is an attacker's map. Everything shown is escaped by the templates.
 */
public final class WebInterface extends Handler.Wrapper {

    /** The tree for these pages and accounts. */
    /** @param warnings what every page must warn of, asked at each request (a few file dates: cheap) */
    public WebInterface(Pages pages, UsersFile users, Sessions sessions, LogInThrottle throttle, SecureRandom random,
            java.util.function.Supplier<java.util.List<String>> warnings, org.demi.web.metrics.Metrics metrics,
            org.demi.web.access.AuditLog audit, org.demi.web.sbom.Sboms.Source sboms) throws IOException {
        Answer answer = new Answer();
        UsersHandler accounts = new UsersHandler(users, sessions, random, answer, audit);
        AuditHandler auditPage = new AuditHandler(audit, answer);
        Routes behindGate = new Routes()
                .add("/logout", new LogOut(sessions, answer))
                .add("/users", accounts).add("/api/v1/users", accounts).add("/users/add", accounts).add("/users/remove", accounts)
                .add("/metrics", new org.demi.web.metrics.MetricsHandler(metrics))
                .add("/audit", auditPage).add("/api/v1/audit", auditPage)
                .add("^(/api/v1)?/hosts/[^/]+/sbom$", new SbomHandler(sboms, answer))
                .add("/", new PageHandler(pages, answer, metrics, Turns.perCore(java.time.Duration.ofSeconds(30))));
        Routes open = new Routes()
                .add("/static/demi.css", new StyleSheet())
                .add("/login", new LogIn(users, sessions, throttle, random, answer, audit))
                .add("/", new SessionGate(sessions, users, answer, warnings, behindGate));
        setHandler(new SecurityHeaders(new AllowedMethods(open)));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.startsWith("/debian/") || path.startsWith("/push/")) {
            return false; // the repository's and the push endpoint's own namespaces: not found there is not found
        }
        return super.handle(request, response, callback);
    }
}
