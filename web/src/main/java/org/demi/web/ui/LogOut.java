package org.demi.web.ui;

import org.demi.web.access.Sessions;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code POST /logout}: ends the session (behind the gate, so the form's CSRF token was checked). */
final class LogOut extends Handler.Abstract {
    private final Sessions sessions;
    private final Answer answer;

    LogOut(Sessions sessions, Answer answer) {
        this.sessions = sessions;
        this.answer = answer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (SessionGate.form(request) == null) {
            answer.notFound(request, response, callback, SessionGate.view(request)); // not a form: no page here
            return true;
        }
        sessions.close(SessionGate.session(request).id());
        response.getHeaders().add(HttpHeader.SET_COOKIE, Cookies.header(request, Cookies.SESSION, "", 0));
        Answer.redirect(response, callback, "/login");
        return true;
    }
}
