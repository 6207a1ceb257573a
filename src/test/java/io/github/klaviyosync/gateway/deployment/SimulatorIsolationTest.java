package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build moves the simulator package (the demo included) out of the packaged application, so no
 * main class outside it may name it: the prod application would fail to load that class.
 */
class SimulatorIsolationTest {

    private static final Path MAIN = Path.of("src", "main", "java", "io", "github", "klaviyosync", "gateway");

    @Test
    void noMainClassOutsideTheSimulatorPackageNamesIt() throws IOException {
        assertTrue(Files.isDirectory(MAIN.resolve("simulator")), MAIN.resolve("simulator") + " is missing");
        try (Stream<Path> sources = Files.walk(MAIN)) {
            List<String> offending = sources
                    .filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.startsWith(MAIN.resolve("simulator")))
                    .filter(SimulatorIsolationTest::namesTheSimulator)
                    .map(Path::toString)
                    .toList();
            assertEquals(List.of(), offending);
        }
    }

    private static boolean namesTheSimulator(Path source) {
        try {
            return Files.readString(source).contains("gateway.simulator");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
