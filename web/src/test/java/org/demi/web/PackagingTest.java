package org.demi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian packages: dpkg-buildpackage builds demi-server and demi-client from a copy of the
 * source tree, lintian finds no error in them, they hold what they must (and the client no
 * Java), and on real Debian systems (debootstrap roots in network namespaces) they install,
 * enrol, collect over SSH, evaluate, and purge without leftovers: {@code debian/tests/fleet}.
 */
class PackagingTest {
    @TempDir
    static Path tmp;
    static Path server;
    static Path client;

    static String run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    @BeforeAll
    static void build() throws Exception {
        Path top = Path.of("..").toAbsolutePath().normalize();
        Path copy = tmp.resolve("demi");
        Set<String> skip = Set.of("target", ".git", "demi-data", "docs");
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = top.relativize(p);
                boolean skipped = false;
                for (Path part : rel) {
                    skipped |= skip.contains(part.toString());
                }
                if (skipped) {
                    continue;
                }
                Path to = copy.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        run(copy, List.of("dpkg-buildpackage", "-us", "-uc", "-b"));
        server = tmp.resolve("demi-server_" + version(copy) + "_all.deb");
        client = tmp.resolve("demi-client_" + version(copy) + "_all.deb");
    }

    static String version(Path copy) throws IOException {
        String first = Files.readAllLines(copy.resolve("debian/changelog")).get(0);
        return first.substring(first.indexOf('(') + 1, first.indexOf(')'));
    }

    @Test
    void lintianFindsNoError() throws Exception {
        String out = run(tmp, List.of("lintian", "--fail-on", "error",
                server.toString(), client.toString()));
        assertThat(out.lines().filter(l -> l.startsWith("E: "))).isEmpty();
        assertThat(out).doesNotContain("no-manual-page", "binary-without-manpage");
    }

    /**
     * A man page for every program and every demi command, made from the definitions --help
     * prints: every option of every command is on its page, so the two cannot drift apart.
     */
    @Test
    void everyCommandAndOptionHasItsManPage() throws Exception {
        String serverFiles = run(tmp, List.of("dpkg-deb", "-c", server.toString()));
        String clientFiles = run(tmp, List.of("dpkg-deb", "-c", client.toString()));
        assertThat(clientFiles).contains("./usr/share/man/man8/demi-client.8.gz", "./usr/share/man/man1/demi-inventory.1.gz");
        Path man = tmp.resolve("man");
        run(tmp, List.of("dpkg-deb", "-x", server.toString(), man.toString()));
        List<picocli.CommandLine> commands = new java.util.ArrayList<>();
        collect(new picocli.CommandLine(new org.demi.web.cli.Demi()), commands);
        assertThat(commands).hasSizeGreaterThan(20);
        for (picocli.CommandLine c : commands) {
            String page = c.getCommandSpec().qualifiedName("-") + ".1.gz";
            assertThat(serverFiles).as(page).contains("./usr/share/man/man1/" + page);
            String roff = run(tmp, List.of("sh", "-c", "zcat " + man.resolve("usr/share/man/man1/" + page)));
            for (picocli.CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                // roff writes a hyphen as \-
                assertThat(roff).as(page + " " + o.longestName()).contains(o.longestName().replace("-", "\\-"));
            }
        }
        String client = run(tmp, List.of("sh", "-c", "dpkg-deb --fsys-tarfile " + this.client
                + " | tar -xOf - ./usr/share/man/man8/demi-client.8.gz | zcat"));
        assertThat(client).contains("enroll push URL HOST", "unenroll");
    }

    private static void collect(picocli.CommandLine c, List<picocli.CommandLine> into) {
        if (!c.getCommandName().equals("help")) {
            into.add(c);
            c.getSubcommands().values().forEach(s -> collect(s, into));
        }
    }

    /**
     * systemd's own judgement of the unit: "systemd-analyze verify" finds nothing wrong with it
     * as installed, and "systemd-analyze security" rates its exposure 2.0 or lower ("OK"; the
     * README gives the figure).
     */
    @Test
    void systemdRatesTheUnitLockedDown() throws Exception {
        Path root = tmp.resolve("unit-root");
        run(tmp, List.of("dpkg-deb", "-x", server.toString(), root.toString()));
        Path unit = root.resolve("lib/systemd/system/demi.service");
        assertThat(unit).exists();
        // A system that has the package also has systemd's own targets and slices, which the
        // unit is ordered after: this machine's, as systemd installs them.
        try (Stream<Path> systemd = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path p : (Iterable<Path>) systemd::iterator) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".target") || name.endsWith(".slice")) && !Files.exists(unit.resolveSibling(name))) {
                    Files.copy(p, unit.resolveSibling(name));
                }
            }
        }
        // verify also runs man for each Documentation= page: the package's own pages, found there.
        run(tmp, List.of("env", "MANPATH=" + root.resolve("usr/share/man"), "systemd-analyze", "verify", "--root=" + root,
                "/lib/systemd/system/demi.service"));
        String security = run(tmp, List.of("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString()));
        Matcher m = Pattern.compile("Overall exposure level for demi.service: (\\d+\\.\\d+) (\\S+)").matcher(security);
        assertThat(m.find()).as(security).isTrue();
        System.out.println("systemd-analyze security: " + m.group(1) + " " + m.group(2));
        assertThat(Double.parseDouble(m.group(1))).as(security).isLessThanOrEqualTo(2.0);
        assertThat(m.group(2)).isEqualTo("OK");
    }

    @Test
    void theServerHoldsTheProgramItsServiceAndItsConffile() throws Exception {
        String files = run(tmp, List.of("dpkg-deb", "-c", server.toString()));
        assertThat(files).contains("./usr/bin/demi", "./usr/share/demi/demi.jar", "/systemd/system/demi.service", "./etc/demi/demi.conf");
        assertThat(run(tmp, List.of("dpkg-deb", "-f", server.toString(), "Depends"))).contains("java17-runtime-headless",
                "openssh-client");
        assertThat(run(tmp, List.of("dpkg-deb", "-I", server.toString(), "conffiles")).strip()).isEqualTo("/etc/demi/demi.conf");
        String unit = run(tmp, List.of("sh", "-c", "dpkg-deb --fsys-tarfile " + server + " | tar -xOf - --wildcards '*/demi.service'"));
        assertThat(unit).contains("User=demi", "ProtectSystem=strict", "NoNewPrivileges=yes", "ReadWritePaths=/var/lib/demi");
    }

    @Test
    void oneServerAndTwoClientsInstallEnrolCollectAndPurge() throws Exception {
        Path work = tmp.resolve("fleet");
        String out = run(Path.of("..").toAbsolutePath().normalize(), List.of("bash", "debian/tests/fleet", tmp.toString(), work.toString()));
        assertThat(out).contains("c1: stored ", "c2: stored ", "c1: unchanged ", "c1: delivered ", "an unchanged delivery: ",
                "c2: unattended-upgrade installed all ",
                "fleet: OK");
        // The roots are removed with the temporary directory: nothing may still be mounted in them.
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(work.toString());
    }

    /**
     * The service started for real by systemd, in a container booted with systemd as its init:
     * active under its hardening (demi, no capability, no new privileges, a seccomp filter), the
     * pages answering, a restart working, and the demi command run by root recorded as root's:
     * {@code debian/tests/systemd}.
     */
    @Test
    void systemdRunsTheServiceUnderItsHardening() throws Exception {
        Path work = tmp.resolve("systemd");
        String out = run(Path.of("..").toAbsolutePath().normalize(), List.of("bash", "debian/tests/systemd", tmp.toString(), work.toString()));
        assertThat(out).contains("demi.service: active; /login: 200", "Seccomp:\t2", "users token,admin,ok", "demi-push.service: pushed",
                "systemd: OK");
        Matcher m = Pattern.compile("Overall exposure level for demi.service: (\\d+\\.\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(2.0);
    }

    /**
     * The README's two set-up commands, as typed, on a minimal debootstrap root whose network
     * reaches only this machine's apt mirror: {@code debian/tests/quickstart}. Maven's local
     * repository (found from where JUnit's own jar lies) stands in for Maven Central there.
     */
    @Test
    void theQuickStartsTwoCommandsSetUpAMinimalSystem() throws Exception {
        Path jar = Path.of(Test.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // <repository>/org/junit/jupiter/junit-jupiter-api/<version>/<jar>
        Path repository = jar.getParent().getParent().getParent().getParent().getParent().getParent();
        assertThat(repository.resolve("org/junit/jupiter")).isDirectory();
        Path work = tmp.resolve("quickstart");
        String out = run(Path.of("..").toAbsolutePath().normalize(),
                List.of("bash", "debian/tests/quickstart", work.toString(), repository.toString()));
        assertThat(out).contains("first command: ./demi serve", "second command: ./test", "quickstart: OK");
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(work.toString());
    }

    /**
     * The jar is reproducible without dh_strip_nondeterminism, which the package build skips for
     * it: no entry is stamped later than the changelog's date (SOURCE_DATE_EPOCH), and the entries
     * Demi's own build wrote (its classes) carry exactly that date; the dependencies' keep theirs.
     */
    @Test
    void theServersJarIsStampedWithTheChangelogsDate() throws Exception {
        long epoch = Long.parseLong(run(tmp.resolve("demi"), List.of("dpkg-parsechangelog", "-STimestamp")).strip());
        Path root = tmp.resolve("jar-root");
        run(tmp, List.of("dpkg-deb", "-x", server.toString(), root.toString()));
        // (A zip entry's time is a date and time in the zone of the machine that wrote it: this one's, like the reading.)
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(root.resolve("usr/share/demi/demi.jar").toFile())) {
            List<? extends java.util.zip.ZipEntry> entries = jar.stream().toList();
            assertThat(entries).hasSizeGreaterThan(1000);
            assertThat(entries).allSatisfy(e -> assertThat(e.getTime() / 1000).as(e.getName()).isLessThanOrEqualTo(epoch));
            // (to the 2 s a zip time holds)
            assertThat(jar.getEntry("org/demi/web/cli/Demi.class").getTime() / 1000).isBetween(epoch - 1, epoch);
        }
    }

    @Test
    void theClientIsShellAndNoJava() throws Exception {
        String files = run(tmp, List.of("dpkg-deb", "-c", client.toString()));
        assertThat(files).contains("./usr/bin/demi-inventory", "./usr/sbin/demi-client", "/systemd/system/demi-push.timer")
                .doesNotContain(".jar");
        assertThat(run(tmp, List.of("dpkg-deb", "-f", client.toString(), "Depends", "Architecture")))
                .doesNotContainIgnoringCase("java").contains("Architecture: all");
    }
}
