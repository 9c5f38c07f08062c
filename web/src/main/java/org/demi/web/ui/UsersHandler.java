package org.demi.web.ui;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.demi.deb.BadInputException;
import org.demi.web.access.PasswordHash;
import org.demi.web.access.Role;
import org.demi.web.access.Sessions;
import org.demi.web.access.User;
import org.demi.web.access.UsersFile;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /users} (and {@code /api/v1/users}): the accounts, for admins only; {@code POST
 * /users/add} and {@code /users/remove} change them, and end the sessions of a user changed.
 */
final class UsersHandler extends Handler.Abstract {
    private final UsersFile users;
    private final Sessions sessions;
    private final SecureRandom random;
    private final Answer answer;
    private final org.demi.web.access.AuditLog audit;

    UsersHandler(UsersFile users, Sessions sessions, SecureRandom random, Answer answer, org.demi.web.access.AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.sessions = sessions;
        this.random = random;
        this.answer = answer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        View view = SessionGate.view(request);
        String path = Request.getPathInContext(request);
        if (!view.admin()) {
            answer.error(response, callback, view, HttpStatus.FORBIDDEN_403, "Refused", "Only an admin manages users.");
            return true;
        }
        Fields form = SessionGate.form(request);
        boolean list = path.equals("/users") || path.equals("/api/v1/users");
        if (list == (form != null)) {
            answer.notFound(request, response, callback, view); // the list takes no form, the changes are forms
            return true;
        }
        if (form == null) {
            String format = PageHandler.format(request, Request.extractQueryParameters(request));
            show(view, format, null, response, callback);
            return true;
        }
        Sessions.Session s = SessionGate.session(request);
        String action = path.equals("/users/add") ? "users add" : "users remove";
        String asked = Optional.ofNullable(form.getValue("user")).orElse("");
        String message;
        String outcome = "ok";
        try {
            String name = User.checkName(asked);
            if (path.equals("/users/add")) {
                String password = Optional.ofNullable(form.getValue("password")).orElse("");
                User.checkPassword(password);
                Role role = Role.of(Optional.ofNullable(form.getValue("role")).orElse("viewer"));
                users.put(new User(name, role, PasswordHash.hash(password, random)));
                message = "User " + name + " saved.";
                action += " (" + role.word() + ")";
            } else if (name.equals(s.user())) {
                throw new BadInputException("you cannot remove yourself");
            } else if (users.remove(name)) {
                message = "User " + name + " removed.";
            } else {
                message = "There is no user " + name + ".";
                outcome = "failed";
            }
            if (!name.equals(s.user())) {
                sessions.closeAll(name);
            }
        } catch (BadInputException e) {
            message = "Not saved: " + e.getMessage();
            outcome = "refused: " + e.getMessage();
        }
        audit.record(view.user(), Request.getRemoteAddr(request), action, LogIn.printable(asked), outcome, "");
        show(view, "html", message, response, callback);
        return true;
    }

    private void show(View view, String format, String message, Response response, Callback callback) throws Exception {
        List<User> list = users.read();
        if (format.equals("html")) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("view", view);
            model.put("users", list);
            model.put("message", message);
            answer.html(response, callback, HttpStatus.OK_200, "users.jte", model);
        } else {
            Answer.json(response, callback, HttpStatus.OK_200,
                    list.stream().map(u -> Map.of("user", u.name(), "role", u.role().word())).toList());
        }
    }
}
