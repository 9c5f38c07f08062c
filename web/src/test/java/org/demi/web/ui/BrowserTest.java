package org.demi.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    /**
     * Does what loads a new page (a submit, a click on a link) and waits until that page is the
     * one showing: a submit returns before the browser has left the old page, whose elements
     * then go stale under a test that reads them.
     */
    private static void loads(Runnable action) throws InterruptedException {
        WebElement old = chrome.findElement(By.tagName("html"));
        action.run();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                old.getTagName();
            } catch (org.openqa.selenium.StaleElementReferenceException left) {
                return; // the old page is gone: the new one is loaded
            } catch (org.openqa.selenium.WebDriverException e) {
                // Asked while the old page is being torn down, Chromium may answer that the node
                // no longer belongs to the document instead: gone all the same.
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return;
                }
                throw e;
            }
            assertThat(System.nanoTime()).as("the next page did not load").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Types {@code q} into the search box and submits it. */
    private static void search(String q) throws InterruptedException {
        WebElement box = chrome.findElement(By.name("q"));
        box.clear();
        box.sendKeys(q);
        loads(box::submit);
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
        loads(() -> chrome.findElement(By.cssSelector("form button[type=submit]")).click());
        assertThat(chrome.getPageSource()).doesNotContain("class=\"error\"");
        // Back where the log-in began, the filter kept.
        assertThat(chrome.getCurrentUrl()).isEqualTo(web.base + "/hosts?q=group:core");
        assertThat(column("hosts", 0)).containsExactly("db1", "old1");

        // The search box replaces the filter; a facet link narrows it.
        search("release:bookworm");
        assertThat(column("hosts", 0)).containsExactly("db1", "web1");
        search("");
        assertThat(column("hosts", 0)).containsExactly("db1", "old1", "web1");
        shot("hosts");

        // A column heading sorts, a second click reverses.
        loads(() -> chrome.findElement(By.cssSelector("#hosts thead")).findElement(By.linkText("Packages")).click());
        List<Integer> up = column("hosts", 4).stream().map(Integer::parseInt).toList();
        assertThat(up).isSorted().hasSize(3);
        loads(() -> chrome.findElement(By.cssSelector("#hosts thead")).findElement(By.partialLinkText("Packages ▲")).click());
        List<Integer> down = column("hosts", 4).stream().map(Integer::parseInt).toList();
        List<Integer> reversed = new java.util.ArrayList<>(up);
        java.util.Collections.reverse(reversed);
        assertThat(down).containsExactlyElementsOf(reversed);

        // Drill down into a host; its packages, filtered; host-supplied text stays text.
        loads(() -> chrome.findElement(By.cssSelector("#hosts tbody")).findElement(By.linkText("web1")).click());
        assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Host web1");
        assertThat(chrome.findElements(By.cssSelector("#packages tbody tr"))).hasSizeGreaterThan(50);
        shot("host");
        search("package:evil-tool");
        assertThat(column("packages", 0)).containsExactly("evil-tool");
        assertThat(chrome.findElement(By.cssSelector("#packages tbody")).getText()).contains("<script>alert('pwned')</script>");
        assertThatThrownBy(() -> chrome.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(chrome.findElements(By.cssSelector("main script"))).isEmpty();
        assertThat(chrome.findElement(By.cssSelector("#history")).getText()).contains("push", "stored");

        // Export: the JSON link holds the filter.
        loads(() -> chrome.findElement(By.linkText("JSON")).click());
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
        chrome.get(web.base + "/packages?q=state:security-update");
        assertThat(column("packages", 6)).isNotEmpty().allMatch("security-update"::equals);
        shot("packages");
        chrome.get(web.base + "/advisories/DSA-5343-1");
        assertThat(column("hosts", 0)).containsExactly("old1");
        shot("advisory");
        chrome.get(web.base + "/cves/CVE-2023-0286");
        assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("CVE-2023-0286");
        shot("cve");
        // The CVE list: the fixture's openssl CVE is open on all three hosts, a fix available on each.
        chrome.get(web.base + "/cves");
        assertThat(column("cves", 0)).first().isEqualTo("CVE-2026-1001");
        assertThat(column("cves", 2)).first().isEqualTo("3");
        shot("cves");
        chrome.get(web.base + "/users");
        assertThat(chrome.findElement(By.tagName("main")).getText()).contains("alice", "victor");
        shot("users");

        // Log out: the pages are closed again.
        loads(() -> chrome.findElement(By.cssSelector("form.logout button")).click());
        // The click posts the form; the browser follows the redirect on its own time.
        for (int i = 0; i < 100 && !chrome.getCurrentUrl().endsWith("/login"); i++) {
            Thread.sleep(100);
        }
        assertThat(chrome.getCurrentUrl()).endsWith("/login");
        chrome.get(web.base + "/hosts");
        assertThat(chrome.getCurrentUrl()).contains("/login?next=");
    }

    private static void logInIfAsked(String url) throws InterruptedException {
        chrome.get(url);
        if (chrome.getCurrentUrl().contains("/login")) {
            chrome.findElement(By.name("user")).sendKeys("alice");
            chrome.findElement(By.name("password")).sendKeys(WebFixture.ADMIN_PASSWORD);
            loads(() -> chrome.findElement(By.cssSelector("form button[type=submit]")).click());
        }
        assertThat(chrome.getCurrentUrl()).isEqualTo(url);
    }

    /**
     * What a new administrator met (issue 14): a host never collected was nowhere, no page said
     * that a list of advisories was missing, a facet widened the list, a host's page began with
     * whatever came first, versions broke mid-word, times carried nanoseconds, and a new
     * install's chart was an empty plot with a lone "1".
     */
    @Test
    void whatANewAdministratorMeets() throws Exception {
        logInIfAsked(web.base + "/hosts?q=group:core");
        // Every page warns of the list that is missing (the fixture loads the DSA list, not the DLA list).
        assertThat(chrome.findElement(By.cssSelector(".banner")).getText()).contains("No Debian LTS Advisories (DLA list) loaded")
                .contains("demi advisories import");

        // A facet narrows: core hosts that are also legacy, not core or legacy.
        loads(() -> chrome.findElement(By.cssSelector("#hosts .facets")).findElement(By.partialLinkText("legacy")).click());
        assertThat(column("hosts", 0)).containsExactly("old1");
        assertThat(chrome.findElement(By.name("q")).getAttribute("value")).isEqualTo("group:core group:legacy");

        // A host's page: what needs attention first; its own groups and release are no facets.
        chrome.get(web.base + "/hosts/old1");
        assertThat(column("packages", 5).get(0)).isIn("security-update", "fix-not-in-mirror");
        assertThat(chrome.findElement(By.cssSelector("#packages")).findElement(By.cssSelector(".facets")).getText())
                .doesNotContain("legacy").doesNotContain("bullseye");

        // Times to the second, with how long ago; the new install's chart says why it has no plot.
        chrome.get(web.base + "/");
        assertThat(chrome.findElement(By.cssSelector("#worst")).getText()).containsPattern("Z \\(\\d+ (s|min) ago\\)")
                .doesNotContainPattern("\\d{2}:\\d{2}:\\d{2}\\.\\d");
        assertThat(chrome.findElement(By.cssSelector(".chart")).getText()).contains("History has been kept since")
                .contains("less than two days").containsPattern("Today \\d+ advisories are open on \\d+ of 3 hosts");
        assertThat(chrome.findElements(By.cssSelector(".chart svg"))).isEmpty();

        // On a narrow screen no version, package, architecture or state breaks mid-word: the table scrolls instead.
        org.openqa.selenium.Dimension wide = chrome.manage().window().getSize();
        chrome.manage().window().setSize(new org.openqa.selenium.Dimension(700, 900));
        try {
            chrome.get(web.base + "/hosts/old1");
            Object broken = chrome.executeScript("return Array.from(document.querySelectorAll('td.col-version span, "
                    + "td.col-newest span, td.col-security_version span, td.col-package a, td.col-arch span, td.col-state span'))"
                    + ".filter(e => e.getClientRects().length > 1).map(e => e.textContent)");
            assertThat((List<?>) broken).isEmpty();
            Object scrolls = chrome.executeScript("const s = document.querySelector('#packages'); return s.scrollWidth > s.clientWidth;");
            assertThat(scrolls).isEqualTo(Boolean.TRUE);
        } finally {
            chrome.manage().window().setSize(wide);
        }

        // A host declared beside the running server, never collected: on the hosts page within seconds, and why.
        StringWriter out = new StringWriter();
        assertThat(org.demi.web.cli.Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(),
                "--data", web.data.toString(), "hosts", "add", "ghost", "--collect", "push")).as(out.toString()).isZero();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            do {
                chrome.get(web.base + "/hosts");
            } while (!chrome.findElement(By.cssSelector("#hosts tbody")).getText().contains("ghost") && System.nanoTime() < deadline);
            WebElement row = chrome.findElement(By.xpath("//section[@id='hosts']//tr[td//a[text()='ghost']]"));
            assertThat(row.getText()).contains("never-collected", "has never pushed an inventory");
            assertThat(row.findElement(By.cssSelector("td.col-verdict")).getAttribute("class")).contains("tone-never-collected");
        } finally {
            assertThat(org.demi.web.cli.Demi.run(new PrintWriter(out), new PrintWriter(out), "--config", web.config.toString(),
                    "--data", web.data.toString(), "hosts", "remove", "ghost")).as(out.toString()).isZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (web.index.count(org.demi.index.SearchQuery.parse("type:host host:ghost")) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            chrome.get(web.base + "/");
            loads(() -> chrome.findElement(By.cssSelector("form.logout button")).click());
        }
    }
}
