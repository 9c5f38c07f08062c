package org.demi.web.ui;

import org.demi.web.access.Role;

/** Who is looking at a page, and the CSRF token its forms must carry; user null on the log-in page. */
public record View(String user, Role role, String csrf) {
    public boolean admin() {
        return role == Role.ADMIN;
    }
}
