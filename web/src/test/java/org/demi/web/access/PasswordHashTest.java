package org.demi.web.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argon2id as the reference implementation (Debian's argon2 command, libargon2) computes it. */
class PasswordHashTest {
    static String argon2(String password, String salt, int memoryKib, int iterations) throws Exception {
        Process p = new ProcessBuilder(List.of("argon2", salt, "-id", "-t", Integer.toString(iterations), "-k",
                Integer.toString(memoryKib), "-p", "1", "-l", "32", "-e")).redirectErrorStream(true).start();
        p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theSameHashAsTheReferenceArgon2ForTheSameSalt() throws Exception {
        String password = "correct horse battery staple ✓";
        byte[] salt = "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII);
        String ours = PasswordHash.encode(PasswordHash.MEMORY_KIB, PasswordHash.ITERATIONS, PasswordHash.PARALLELISM, salt,
                PasswordHash.derive(password, PasswordHash.MEMORY_KIB, PasswordHash.ITERATIONS, PasswordHash.PARALLELISM, salt, 32));
        assertThat(ours).isEqualTo(argon2(password, "saltsaltsaltsalt", PasswordHash.MEMORY_KIB, PasswordHash.ITERATIONS));
    }

    @Test
    void verifiesWhatTheReferenceMadeWithOtherParameters() throws Exception {
        String phc = argon2("hunter2 hunter2", "anothersaltvalue", 4096, 2);
        assertThat(phc).startsWith("$argon2id$v=19$m=4096,t=2,p=1$");
        assertThat(PasswordHash.verify("hunter2 hunter2", phc)).isTrue();
        assertThat(PasswordHash.verify("hunter2 hunter3", phc)).isFalse();
        assertThat(PasswordHash.verify("", phc)).isFalse();
        // What Demi made before it took OWASP's parameters (64 MiB, 3 passes) still lets its user in.
        String before = argon2("an older password", "anothersaltvalue", 65536, 3);
        assertThat(before).startsWith("$argon2id$v=19$m=65536,t=3,p=1$");
        assertThat(PasswordHash.verify("an older password", before)).isTrue();
    }

    @Test
    void eachHashHasItsOwnSaltAndOnlyItsPasswordMatches() {
        SecureRandom random = new SecureRandom();
        String a = PasswordHash.hash("same password", random);
        String b = PasswordHash.hash("same password", random);
        assertThat(a).isNotEqualTo(b).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHash.verify("same password", a)).isTrue();
        assertThat(PasswordHash.verify("same password", b)).isTrue();
        assertThat(PasswordHash.verify("same passworD", a)).isFalse();
    }

    @Test
    void aDamagedOrHostileHashIsAnErrorNotAMatch() {
        assertThatThrownBy(() -> PasswordHash.verify("x", "$2y$10$abcdefghijklmnopqrstuv")).hasMessageContaining("not an Argon2id hash");
        // Parameters that would make one log-in take gigabytes are refused before any work.
        assertThatThrownBy(() -> PasswordHash.verify("x", "$argon2id$v=19$m=9999999,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
                + "Z2FyYmFnZWdhcmJhZ2VnYXJiYWdlZ2FyYmFnZQ")).hasMessageContaining("out of range");
    }
}
