package org.demi.web.ui;

import org.demi.web.access.Role;

/**
 * Who is looking at a page, the CSRF token its forms must carry (user null on the log-in
 * page), and what every page must warn of (stale or missing security data).
 */
public record View(String user, Role role, String csrf, java.util.List<String> warnings) {
    public View {
        warnings = java.util.List.copyOf(warnings);
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }
}
