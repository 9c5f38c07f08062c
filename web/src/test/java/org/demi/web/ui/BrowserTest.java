package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The interface as a person uses it, in Debian's real headless Chromium (driven through
 * chromium-driver): log in, filter, sort, drill down, export. With
 * {@code -Ddemi.screenshots=DIR} it also saves the screenshots the README shows.
 */
class BrowserTest {
    @TempDir
    static Path tmp;
    static WebFixture web;
    static ChromeDriver chrome;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(tmp);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium")), "--window-size=1440,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (chrome != null) {
            chrome.quit();
        }
        web.close();
    }

    private static void shot(String name) throws Exception {
        String dir = System.getProperty("demi.screenshots");
        if (dir != null && !dir.isEmpty()) {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name + ".png"), chrome.getScreenshotAs(OutputType.BYTES));
        }
    }

    private static List<String> column(String tableId, int index) {
        return chrome.findElements(By.cssSelector("#" + tableId + " tbody tr")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).get(index).getText().strip()).toList();
    }

    @Test
    void logInFilterSortDrillDownAndExport() throws Exception {
        chrome.get(web.base + "/hosts?q=group:core");
        assertThat(chrome.getCurrentUrl()).contains("/login?next=");
        shot("login");
        chrome.findElement(By.name("user")).sendKeys("alice");
        chrome.findElement(By.name("password")).sendKeys(WebFixture.ADMIN_PASSWORD);
        chrome.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(chrome.getPageSource()).doesNotContain("class=\"error\"");
        // Back where the log-in began, the filter kept.
        assertThat(chrome.getCurrentUrl()).isEqualTo(web.base + "/hosts?q=group:core");
        assertThat(column("hosts", 0)).containsExactly("db1", "old1");

        // The search box replaces the filter; a facet link narrows it.
        WebElement box = chrome.findElement(By.name("q"));
        box.clear();
        box.sendKeys("release:bookworm");
        box.submit();
        assertThat(column("hosts", 0)).containsExactly("db1", "web1");
        chrome.findElement(By.name("q")).clear();
        chrome.findElement(By.name("q")).submit();
        assertThat(column("hosts", 0)).containsExactly("db1", "old1", "web1");
        shot("hosts");

        // A column heading sorts, a second click reverses.
        chrome.findElement(By.cssSelector("#hosts thead")).findElement(By.linkText("Packages")).click();
        List<Integer> up = column("hosts", 4).stream().map(Integer::parseInt).toList();
        assertThat(up).isSorted().hasSize(3);
        chrome.findElement(By.cssSelector("#hosts thead")).findElement(By.partialLinkText("Packages ▲")).click();
        List<Integer> down = column("hosts", 4).stream().map(Integer::parseInt).toList();
        List<Integer> reversed = new java.util.ArrayList<>(up);
        java.util.Collections.reverse(reversed);
        assertThat(down).containsExactlyElementsOf(reversed);

        // Drill down into a host; its packages, filtered; host-supplied text stays text.
        chrome.findElement(By.cssSelector("#hosts tbody")).findElement(By.linkText("web1")).click();
        assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Host web1");
        assertThat(chrome.findElements(By.cssSelector("#packages tbody tr"))).hasSizeGreaterThan(50);
        shot("host");
        chrome.findElement(By.name("q")).sendKeys("package:evil-tool");
        chrome.findElement(By.name("q")).submit();
        assertThat(column("packages", 0)).containsExactly("evil-tool");
        assertThat(chrome.findElement(By.cssSelector("#packages tbody")).getText()).contains("<script>alert('pwned')</script>");
        assertThatThrownBy(() -> chrome.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(chrome.findElements(By.cssSelector("main script"))).isEmpty();
        assertThat(chrome.findElement(By.cssSelector("#history")).getText()).contains("push", "stored");

        // Export: the JSON link holds the filter.
        chrome.findElement(By.linkText("JSON")).click();
        String json = chrome.findElement(By.tagName("body")).getText();
        assertThat(json).contains("\"total\" : 1", "evil-tool");

        // The other pages.
        chrome.get(web.base + "/");
        assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
        assertThat(chrome.findElement(By.cssSelector(".facts")).getText()).contains("Hosts managed\n3");
        shot("overview");
        chrome.get(web.base + "/advisories?q=source:openssl");
        assertThat(column("advisories", 2)).isNotEmpty().allMatch("openssl"::equals);
        shot("advisories");
        chrome.get(web.base + "/packages/openssl");
        assertThat(column("hosts", 0)).containsExactly("db1", "old1", "web1");
        shot("package");
        chrome.get(web.base + "/mirror");
        assertThat(column("suites", 1)).containsExactly("bookworm", "bookworm-security", "bullseye-security");
        shot("mirror");

        // Log out: the pages are closed again.
        chrome.findElement(By.cssSelector("form.logout button")).click();
        assertThat(chrome.getCurrentUrl()).endsWith("/login");
        chrome.get(web.base + "/hosts");
        assertThat(chrome.getCurrentUrl()).contains("/login?next=");
    }
}
