package org.demi.compliance.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.demi.deb.io.Durable;

/**
 * The server's own SSH key (Ed25519), made at first use by ssh-keygen: {@code keys/ssh_ed25519} (mode 0600)
 * and {@code keys/ssh_ed25519.pub}, the line that goes into hosts' {@code authorized_keys}.
 */
public record SshIdentity(byte[] privateKey, String publicKey) {
    public static SshIdentity loadOrCreate(Path keysDir) throws IOException {
        Path priv = keysDir.resolve("ssh_ed25519");
        Path pub = keysDir.resolve("ssh_ed25519.pub");
        if (Files.exists(priv) && Files.exists(pub)) {
            return new SshIdentity(Files.readAllBytes(priv), Files.readString(pub, StandardCharsets.US_ASCII).strip());
        }
        Files.createDirectories(keysDir);
        // OpenSSH's own tool writes the key in its own format (JSch reads it, but cannot write Ed25519 keys).
        Path tmp = keysDir.resolve(".ssh_ed25519.new");
        Files.deleteIfExists(tmp);
        Files.deleteIfExists(Path.of(tmp + ".pub"));
        ProcessBuilder pb = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "demi@" + hostName(),
                "-f", tmp.toString()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("ssh-keygen failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IOException("cannot make the server's SSH key with ssh-keygen (package openssh-client): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while making the SSH key");
        }
        byte[] pubLine = Files.readAllBytes(Path.of(tmp + ".pub"));
        Durable.write(pub, pubLine);
        Files.move(tmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Path.of(tmp + ".pub"));
        return new SshIdentity(Files.readAllBytes(priv), new String(pubLine, StandardCharsets.US_ASCII).strip());
    }

    /** The {@code authorized_keys} line for a host: this key, allowed to run the inventory program and nothing else. */
    public String authorizedKeysLine(String inventoryProgram) {
        return "restrict,command=\"" + inventoryProgram + "\" " + publicKey;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
        } catch (IOException e) {
            return "server";
        }
    }
}
