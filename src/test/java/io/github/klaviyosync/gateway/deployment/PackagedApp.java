package io.github.klaviyosync.gateway.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, or the native executable in
 * a {@code -Dnative} build) run as a child process in the prod profile, configured only by the environment given, with its output in a log file. It is
 * always stopped: by {@link #close()}, and by a shutdown hook should the test JVM end first, so no
 * orphan outlives a failed test.
 */
final class PackagedApp implements AutoCloseable {

    /** The build under test: the default one, or the aot profile's ({@code gateway.app.dir}, set by failsafe). */
    static final Path APP_DIR = Path.of(System.getProperty("gateway.app.dir", "target/quarkus-app"));
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final Path workDir;
    private final Thread reaper;

    private PackagedApp(Process process, Path log, Path workDir) {
        this.process = process;
        this.log = log;
        this.workDir = workDir;
        this.reaper = new Thread(this::stop, "packaged-app-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code java -jar quarkus-run.jar} with exactly the given gateway and Quarkus variables
     * (none inherited from the test JVM's environment), in an empty working directory of its own.
     */
    static PackagedApp start(Map<String, String> variables) {
        return start(variables, List.of());
    }

    /** As {@link #start(Map)}, with extra JVM options before {@code -jar} (the AOT training run's recording flags). */
    static PackagedApp start(Map<String, String> variables, List<String> jvmOptions) {
        try {
            Path workDir = Files.createTempDirectory("gateway-it-");
            Path log = Files.createTempFile("gateway-it-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command(workDir.resolve("tmp"), jvmOptions))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Files.createDirectory(workDir.resolve("tmp"));
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("GATEWAY_"));
            environment.putAll(variables);
            return new PackagedApp(builder.start(), log, workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this is a native build ({@code -Dnative}): then the native executable is tested. */
    static boolean isNativeBuild() {
        return "true".equals(System.getProperty("quarkus.native.enabled"));
    }

    private static List<String> command(Path tmp, List<String> jvmOptions) {
        Path executable = isNativeBuild()
                ? Path.of(System.getProperty("native.image.path"))
                : APP_DIR.resolve("quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(executable)) {
            throw new IllegalStateException(executable + " is missing: integration tests run after `package` (bin/mvn verify)");
        }
        if (isNativeBuild()) {
            return List.of(executable.toAbsolutePath().toString(), "-Djava.io.tmpdir=" + tmp);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Djava.io.tmpdir=" + tmp));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", executable.toString()));
        return command;
    }

    /** Polls {@code url} until it answers 200 and returns the body; fails when the process ends first or time runs out. */
    String awaitOk(String url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited with " + process.exitValue() + " before " + url + " answered 200:\n" + output());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not answer 200 within " + timeout + " (last: " + last + "):\n" + output());
    }

    /** Waits for the process to end by itself; fails if it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the application was still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Everything the application printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** What the application left in its working directory (a container's read-only root). */
    List<Path> filesWrittenToTheWorkingDirectory() throws IOException {
        try (var paths = Files.list(workDir)) {
            return paths.filter(path -> !path.getFileName().toString().equals("tmp")).toList();
        }
    }

    /** Sends SIGTERM, as Kubernetes does after the pod's preStop hook, and returns at once. */
    void terminate() {
        process.destroy();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL: no shutdown hook, no graceful stop), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the application survived SIGKILL");
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
        deleteQuietly(workDir);
        deleteQuietly(log);
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temp file left behind is harmless.
        }
    }

    private void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
