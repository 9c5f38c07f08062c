package org.demi.compliance.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real OpenSSH sshd on loopback, with its own host key, config and authorized_keys file. */
public final class Sshd implements AutoCloseable {
    public final Path dir;
    public final int port;
    public final Path authorizedKeys;
    public final Path hostKey;
    private final Process process;

    public Sshd(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        hostKey = dir.resolve("host_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, "");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey, "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys, "StrictModes no", "UsePAM no", "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "LogLevel ERROR", "MaxStartups 300",
                "MaxSessions 50", ""));
        process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
    }

    /** Allows {@code publicKey} to run {@code command} only, as a host enrolled for Demi would. */
    public void authorize(String publicKey, String command) throws IOException {
        Files.writeString(authorizedKeys, "restrict,command=\"" + command.replace("\"", "\\\"") + "\" " + publicKey + "\n");
    }

    public KnownHosts.Key key() throws IOException {
        String[] f = Files.readString(Path.of(hostKey + ".pub")).strip().split("\\s+");
        return new KnownHosts.Key(f[0], java.util.Base64.getDecoder().decode(f[1]));
    }

    public static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + ": " + out);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
