package org.janussfu.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Debian Chromium for end-to-end tests, driven through Debian's chromedriver with Selenium (no browser is
 * ever downloaded), plus a loopback HTTP server for the test pages and the real npm clients (installed from
 * {@code src/test/browser/package-lock.json} into {@code target/browser} with {@code npm ci}). Skips the test when
 * the browser is not installed (`.ci/run` installs it). Used from the JUnit thread.
 */
public final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path MODULES = Path.of("target/browser/node_modules");

    private final ChromeDriver driver;
    private final HttpServer pages;
    /** Chromium's profile directory under /tmp, deleted on close (a few MB per browser test otherwise stay). */
    private final Path profile;
    public final int pagePort;

    private Browser(ChromeDriver driver, HttpServer pages, Path profile) {
        this.driver = driver;
        this.pages = pages;
        this.profile = profile;
        this.pagePort = pages.actualPort();
    }

    /** Starts Chromium and a page server on 127.0.0.1; {@code files} maps URL paths to local files. */
    public static Browser start(Vertx vertx, Map<String, Path> files) throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Debian chromium and chromium-driver are not installed (.ci/run installs them)");
        installNpmClients();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            Path f = files.get(req.path());
            if (f == null) {
                req.response().setStatusCode(404).end();
                return;
            }
            String type = f.toString().endsWith(".html") ? "text/html" : "application/javascript";
            // naf-janus-adapter samples server time from the page's Date header (HEAD requests).
            req.response().putHeader("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
            if (req.method() == io.vertx.core.http.HttpMethod.HEAD) {
                req.response().putHeader("Content-Type", type).end();
                return;
            }
            req.response().putHeader("Content-Type", type + "; charset=utf-8").sendFile(f.toString());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--no-first-run", "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), server, profile);
    }

    /** {@code npm ci} of the pinned real clients into target/browser, once per build. */
    static synchronized void installNpmClients() throws IOException, InterruptedException {
        if (Files.isDirectory(MODULES.resolve("minijanus")) && Files.isDirectory(MODULES.resolve("naf-janus-adapter"))
                && Files.isDirectory(MODULES.resolve("janus-gateway")) && Files.isDirectory(MODULES.resolve("webrtc-adapter"))) {
            return;
        }
        Path dir = MODULES.getParent();
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "package-lock.json")) {
            Files.copy(Path.of("src/test/browser", f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("npm.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("npm ci failed; see " + dir.resolve("npm.log"));
        }
    }

    public static Path module(String relative) {
        return MODULES.resolve(relative);
    }

    public void open(String path) {
        driver.get("http://127.0.0.1:" + pagePort + path);
    }

    /** Opens {@code url} (any origin, e.g. the admin listener's dashboard) in a new tab, which becomes the current one. */
    public void openTab(String url) {
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        driver.get(url);
    }

    /** Sets the current window's size in CSS pixels (screenshots are taken of the viewport). */
    public void windowSize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    /** Saves a PNG screenshot of the current tab to {@code file}. */
    public Path screenshot(Path file) throws IOException {
        byte[] png = driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        return file;
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Polls a JavaScript boolean expression until true; fails with the page's state otherwise. */
    public void await(String condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!Boolean.TRUE.equals(js("return !!(" + condition + ");"))) {
            Object error = js("return window.state && window.state.error;");
            if (error != null) {
                throw new AssertionError("page error: " + error);
            }
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not true within " + millis + " ms: " + condition + "; state="
                        + js("return JSON.stringify(window.state);"));
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try {
                pages.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } finally {
                deleteTree(profile);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover profile costs disk, not correctness
        }
    }
}
