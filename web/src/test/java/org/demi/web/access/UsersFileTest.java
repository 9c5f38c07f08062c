package org.demi.web.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.demi.web.cli.Demi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demi users add|remove|list, the users file they write, and the first-run admin. */
class UsersFileTest {
    @TempDir
    Path tmp;

    private String demi(String stdin, int expected, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            StringWriter out = new StringWriter();
            String[] all = new String[args.length + 2];
            all[0] = "--data";
            all[1] = tmp.toString();
            System.arraycopy(args, 0, all, 2, args.length);
            int code = Demi.run(new PrintWriter(out), new PrintWriter(out), all);
            assertThat(code).as(out.toString()).isEqualTo(expected);
            return out.toString();
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void addListReplaceRemove() throws Exception {
        assertThat(demi("a long password\n", 0, "users", "add", "alice", "--admin")).contains("added alice (admin)");
        assertThat(demi("another password\n", 0, "users", "add", "bob")).contains("added bob (viewer)");
        assertThat(demi("", 0, "users", "list")).isEqualTo("alice admin\nbob viewer\n");
        UsersFile file = new UsersFile(tmp);
        assertThat(PasswordHash.verify("a long password", file.find("alice").orElseThrow().passwordHash())).isTrue();
        assertThat(Files.getPosixFilePermissions(file.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file.path())).doesNotContain("a long password");

        assertThat(demi("a new long password\n", 0, "users", "add", "bob", "--admin")).contains("replaced bob (admin)");
        assertThat(PasswordHash.verify("a new long password", file.find("bob").orElseThrow().passwordHash())).isTrue();
        assertThat(demi("", 0, "users", "remove", "bob")).contains("removed bob");
        assertThat(demi("", 0, "users", "list")).isEqualTo("alice admin\n");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        assertThat(demi("short\n", 2, "users", "add", "carol")).contains("at least 12 characters");
        assertThat(demi("", 2, "users", "add", "carol")).contains("no password on standard input");
        assertThat(demi("a long password\n", 2, "users", "add", "Carol Smith")).contains("not a usable user name");
        assertThat(demi("", 2, "users", "remove", "nobody")).contains("there is no user 'nobody'");
        assertThat(Files.exists(tmp.resolve("users"))).isFalse();
        Files.writeString(tmp.resolve("users"), "alice admin\n");
        assertThatThrownBy(() -> new UsersFile(tmp).read()).hasMessageContaining("users:1: expected NAME ROLE HASH");
    }

    @Test
    void theFirstRunMakesOneAdminAndNeverAnother() throws Exception {
        UsersFile file = new UsersFile(tmp);
        SecureRandom random = new SecureRandom();
        String password = file.firstRunAdmin(random);
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        User admin = file.find("admin").orElseThrow();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(PasswordHash.verify(password, admin.passwordHash())).isTrue();
        assertThat(file.firstRunAdmin(random)).isNull();
        assertThat(PasswordHash.verify(password, file.find("admin").orElseThrow().passwordHash())).isTrue();
    }
}
