package io.github.klaviyosync.gateway.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags of Dockerfile.aot, read from the file, so that the bench (AotBuildTest) and the
 * training run (AotTrainingIT) cannot drift from what the image runs.
 */
final class AotImageFlags {

    static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.aot");
    static final String IMAGE_CACHE = "-XX:AOTCache=/deployments/app.aot";

    private AotImageFlags() {
    }

    /** The image's {@code -XX} flags but its cache. */
    static List<String> image() throws IOException {
        Matcher javaOpts = Pattern.compile("(?s)ENV JAVA_OPTS=\"(.*?)\"").matcher(Files.readString(DOCKERFILE));
        if (!javaOpts.find()) {
            throw new AssertionError("Dockerfile.aot sets no JAVA_OPTS");
        }
        List<String> flags = xxFlags(javaOpts.group(1));
        flags.remove(IMAGE_CACHE);
        return flags;
    }

    /**
     * The training run's: the image's flags, since the cache holds what that JVM loads and links
     * (the same collector and compilers), without method profiles. The image compiles with C1
     * alone, which reads none; recorded, they cost about 4 MiB at idle (2.3 MB more cache, which
     * every start keeps resident whole, and the compiles replayed from them; docs/BENCHMARKS.md,
     * "Start-up, fourth pass"). A JVM started with C2 back on (JAVA_OPTS_APPEND) still uses the
     * cache, profiling from scratch.
     */
    static List<String> recording() throws IOException {
        List<String> flags = new ArrayList<>(image());
        flags.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"));
        return flags;
    }

    /** The {@code -XX} options of a command line. */
    static List<String> xxFlags(String options) {
        List<String> flags = new ArrayList<>();
        for (String option : options.trim().split("\\s+")) {
            if (option.startsWith("-XX:")) {
                flags.add(option);
            }
        }
        return flags;
    }
}
