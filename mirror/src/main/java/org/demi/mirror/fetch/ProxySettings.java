package org.demi.mirror.fetch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.deb.BadInputException;

/**
 * The HTTP proxy, found as apt finds it: {@code Acquire::http::Proxy} (read with
 * {@code apt-config dump}, so every apt.conf.d fragment counts) first, then the
 * {@code http_proxy} environment variable; {@code DIRECT} or nothing means no proxy.
 * {@code Acquire::https::Proxy} and {@code https_proxy} for HTTPS in the same way.
 */
public record ProxySettings(URI http, URI https) {
    public static final ProxySettings NONE = new ProxySettings(null, null);
    private static final Pattern LINE = Pattern.compile("^Acquire::(https?)::Proxy \"([^\"]*)\";$", Pattern.MULTILINE);

    public Proxy proxyFor(URI target) {
        URI p = "https".equals(target.getScheme()) ? https : http;
        if (p == null || "127.0.0.1".equals(target.getHost()) || "localhost".equals(target.getHost())) {
            return Proxy.NO_PROXY;
        }
        int port = p.getPort() > 0 ? p.getPort() : 80;
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port));
    }

    /** From apt's configuration (when {@code apt-config} exists) and the environment. */
    public static ProxySettings discover(Map<String, String> env) {
        String aptHttp = null;
        String aptHttps = null;
        try {
            Process p = new ProcessBuilder(List.of("apt-config", "dump", "Acquire"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                Matcher m = LINE.matcher(out);
                while (m.find()) {
                    if (m.group(1).equals("http")) {
                        aptHttp = m.group(2);
                    } else {
                        aptHttps = m.group(2);
                    }
                }
            }
        } catch (IOException e) {
            // no apt here: the environment decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String http = aptHttp != null ? aptHttp : env.getOrDefault("http_proxy", env.get("HTTP_PROXY"));
        String https = aptHttps != null ? aptHttps : env.getOrDefault("https_proxy", env.get("HTTPS_PROXY"));
        return new ProxySettings(parse(http), parse(https));
    }

    static URI parse(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("DIRECT")) {
            return null;
        }
        String v = value.strip();
        URI u = URI.create(v.contains("://") ? v : "http://" + v);
        if (u.getHost() == null) {
            throw new BadInputException("proxy '" + value + "' has no host");
        }
        return u;
    }
}
