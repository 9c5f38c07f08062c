package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.demi.web.serve.Tls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code serve} with a certificate the test makes: pages and log-in over HTTPS only (with
 * HSTS and Secure cookies), plain HTTP beside it for the repository and pushes alone, as
 * curl (checking the certificate) and Chromium see it.
 */
class HttpsTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static String plain;

    @BeforeAll
    static void start() throws Exception {
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        org.demi.web.serve.TlsTest.makeCertificate(certs, "rsa:2048");
        web = new WebFixture(tmp, Optional.of(Tls.pem(certs.resolve("cert.pem"), certs.resolve("key.pem"))));
        plain = "http://127.0.0.1:" + web.app.plainPort().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-D", "-", "-o", "/dev/null", "--cacert",
                tmp.resolve("certs/cert.pem").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out + "exit " + p.exitValue();
    }

    @Test
    void pagesOnlyOverHttpsTheRepositoryAndPushesOverBoth() throws Exception {
        // HTTPS, verified against the certificate: the log-in page, HSTS, a Secure pre-session cookie.
        String login = curl(web.base + "/login");
        assertThat(login).startsWith("HTTP/1.1 200").containsIgnoringCase("strict-transport-security: max-age=31536000")
                .containsPattern("(?i)set-cookie: demi_login=[^\\r\\n]*; Secure").endsWith("exit 0");
        // Old protocols are refused.
        assertThat(curl("--tls-max", "1.1", web.base + "/login")).doesNotContain("HTTP/1.1 200").doesNotEndWith("exit 0");
        // Plain HTTP: a page is sent to HTTPS (no password or session in clear); the repository and pushes stay.
        String redirected = curl(plain + "/hosts?q=group:core");
        assertThat(redirected).startsWith("HTTP/1.1 308").containsIgnoringCase("location: " + web.base + "/hosts?q=group:core");
        assertThat(curl(plain + "/login")).startsWith("HTTP/1.1 308");
        assertThat(curl("--data", "user=alice&password=x", plain + "/login")).startsWith("HTTP/1.1 308");
        assertThat(curl(plain + "/debian/demi-archive-key.asc")).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("set-cookie");
        assertThat(curl(plain + "/push/v1/hosts/web1/inventory")).startsWith("HTTP/1.1 405");
        assertThat(curl(web.base + "/debian/demi-archive-key.asc")).startsWith("HTTP/1.1 200");
    }

    @Test
    void chromiumLogsInOverHttps() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium")));
        options.setAcceptInsecureCerts(true); // the test's own certificate authority is not in Chromium's store
        ChromeDriver chrome = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), options);
        try {
            chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            // Asked for over plain HTTP, the page comes over HTTPS.
            chrome.get(plain + "/hosts");
            assertThat(chrome.getCurrentUrl()).startsWith(web.base + "/login?next=");
            chrome.findElement(By.name("user")).sendKeys("alice");
            chrome.findElement(By.name("password")).sendKeys(WebFixture.ADMIN_PASSWORD);
            chrome.findElement(By.cssSelector("form button[type=submit]")).click();
            // The click returns before the redirect it starts has been followed, on a busy machine.
            for (long end = System.nanoTime() + 30_000_000_000L; chrome.getCurrentUrl().contains("/login") && System.nanoTime() < end; ) {
                Thread.sleep(50);
            }
            assertThat(chrome.getCurrentUrl()).isEqualTo(web.base + "/hosts");
            assertThat(chrome.findElement(By.tagName("h1")).getText()).contains("Hosts");
            Cookie session = chrome.manage().getCookieNamed("demi_session");
            assertThat(session).isNotNull();
            assertThat(session.isSecure()).isTrue();
            assertThat(session.isHttpOnly()).isTrue();
        } finally {
            chrome.quit();
        }
    }
}
