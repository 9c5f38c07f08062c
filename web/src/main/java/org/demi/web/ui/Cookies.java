package org.demi.web.ui;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/** The web interface's two cookies: the session, and the log-in form's token. */
final class Cookies {
    static final String SESSION = "demi_session";
    static final String LOGIN = "demi_login";

    private Cookies() {
    }

    static String value(Request request, String name) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * A cookie scripts cannot read and other sites' requests do not carry, sent back only over
     * HTTPS when it was set over HTTPS; maxAge -1 for the browser session, 0 to delete.
     */
    static String header(Request request, String name, String value, long maxAge) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }
}
