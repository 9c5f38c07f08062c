package org.demi.web.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.demi.deb.io.Durable;
import org.demi.compliance.inventory.ParsedFile;
import org.demi.deb.BadInputException;

/**
 * The accounts of the web interface, in {@code <data>/users}: one line per user,
 * {@code NAME ROLE ARGON2ID-PHC}, mode 0600, replaced atomically. It lives in the data
 * directory, not the configuration, because the server writes it (the first-run admin) and
 * the packaged service may write only there.
 */
public final class UsersFile {
    private final Path file;
    private final ParsedFile<List<User>> parsed;
    private final org.demi.compliance.host.Tokens apiTokens;

    public UsersFile(Path dataDir) {
        this.file = dataDir.resolve("users");
        this.parsed = new ParsedFile<>(file, UsersFile::parse, List.of());
        this.apiTokens = new org.demi.compliance.host.Tokens(dataDir.resolve("keys/api-tokens"), User::checkName);
    }

    /**
     * The users' API tokens ({@code demi users token}), for scripts: sent as {@code Authorization:
     * Bearer}, they read what their user may read and submit no form.
     */
    public org.demi.compliance.host.Tokens apiTokens() {
        return apiTokens;
    }

    public Path path() {
        return file;
    }

    /** The users, re-read only when the file changed (each web request consults it). */
    public List<User> read() throws IOException {
        return parsed.get();
    }

    private static List<User> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<User> users = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" +");
            try {
                if (f.length != 3) {
                    throw new BadInputException("expected NAME ROLE HASH");
                }
                users.add(new User(f[0], Role.of(f[1]), f[2]));
            } catch (BadInputException e) {
                throw new IOException(file + ":" + n + ": " + e.getMessage());
            }
        }
        return List.copyOf(users);
    }

    public Optional<User> find(String name) throws IOException {
        return read().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /**
     * With no user at all, makes {@code admin} with a random password and returns it, to be
     * shown once; otherwise null.
     */
    public synchronized String firstRunAdmin(java.security.SecureRandom random) throws IOException {
        if (!read().isEmpty()) {
            return null;
        }
        byte[] b = new byte[15];
        random.nextBytes(b);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        put(new User("admin", Role.ADMIN, PasswordHash.hash(password, random)));
        return password;
    }

    /** Adds the user, or replaces one of the same name. */
    public synchronized void put(User user) throws IOException {
        List<User> users = new ArrayList<>(read());
        users.removeIf(u -> u.name().equals(user.name()));
        users.add(user);
        write(users);
    }

    /** Removes the user; false when there was none of that name. */
    public synchronized boolean remove(String name) throws IOException {
        List<User> users = new ArrayList<>(read());
        boolean removed = users.removeIf(u -> u.name().equals(name));
        if (removed) {
            write(users);
            apiTokens.revoke(name);
        }
        return removed;
    }

    private void write(List<User> users) throws IOException {
        StringBuilder text = new StringBuilder("# Demi's web users: NAME ROLE ARGON2ID-HASH (demi users add|remove|list)\n");
        for (User u : users) {
            text.append(u.name()).append(' ').append(u.role().word()).append(' ').append(u.passwordHash()).append('\n');
        }
        Durable.write(file, text.toString().getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
        parsed.invalidate();
    }
}
