package io.github.klaviyosync.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.DemoProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator page in a real browser: Debian's headless Chromium, driven by
 * {@code src/test/e2e/operator-page.mjs} (playwright-core, installed by the Maven build), against this
 * application running the demo. It signs in, sees the demo lists with their counts, sees the live
 * activity strip move with the change stream (read with fetch(), as EventSource sends no token), syncs a list and
 * sees the new run, replays a failed webhook event, checks the phone layout and saves screenshots
 * under {@code target/e2e/}. Without Chromium or Node the test fails, never skips.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class OperatorPageE2ETest {

    private static final Path DRIVER = Path.of("src", "test", "e2e");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUTPUT = Path.of("target", "e2e");
    private static final long TIMEOUT_SECONDS = 300;

    @TestHTTPResource("/")
    URL root;

    @Test
    void anOperatorSignsInSyncsAListNowAndReplaysAFailedEvent() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: this test drives the operator page in Debian's "
                + "chromium package; install it with `apt-get install -y chromium` (.ci/run does)");
        assertTrue(Files.isDirectory(DRIVER.resolve("node_modules").resolve("playwright-core")), DRIVER.resolve("node_modules")
                + " is missing: the Maven build runs `npm ci` there (generate-test-resources); by hand: (cd src/test/e2e && npm ci)");
        Files.createDirectories(OUTPUT);
        Files.deleteIfExists(OUTPUT.resolve("operator-page.png"));
        Files.deleteIfExists(OUTPUT.resolve("failure.png"));
        String baseUrl = root.toString().replaceAll("/$", "");

        Path log = Files.createTempFile("operator-page-e2e-", ".log");
        try {
            Process browser = startDriver(baseUrl, log);
            boolean finished = browser.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished, () -> "the browser test did not finish within " + TIMEOUT_SECONDS + " s:\n" + output);
            assertEquals(0, browser.exitValue(), () -> "the browser test failed (screenshot: target/e2e/failure.png):\n" + output);
            assertTrue(output.contains("every check passed"), output);
        } finally {
            Files.deleteIfExists(log);
        }
        assertTrue(Files.size(OUTPUT.resolve("operator-page.png")) > 10_000, "the desktop screenshot was saved");
        assertTrue(Files.size(OUTPUT.resolve("operator-page-phone.png")) > 10_000, "the phone screenshot was saved");
    }

    private static Process startDriver(String baseUrl, Path log) throws IOException {
        try {
            return new ProcessBuilder("node", "operator-page.mjs", baseUrl, "test-token-for-the-test-suite", OUTPUT.toAbsolutePath().toString())
                    .directory(DRIVER.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("`node` (20 or newer) is needed to drive the browser: " + e.getMessage(), e);
        }
    }
}
