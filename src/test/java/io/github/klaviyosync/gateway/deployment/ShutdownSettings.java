package io.github.klaviyosync.gateway.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drain on SIGTERM as application.properties sets it for the packaged application (prod
 * profile): readiness DOWN with requests still answered for {@code delay}, then up to
 * {@code timeout} for the requests in flight.
 */
record ShutdownSettings(Duration delay, Duration timeout) {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m)");

    static ShutdownSettings load() {
        Properties properties = new Properties();
        try (InputStream in = ShutdownSettings.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"true".equals(properties.getProperty("quarkus.shutdown.delay-enabled"))) {
            throw new AssertionError("quarkus.shutdown.delay-enabled=true is missing: without it the delay is ignored");
        }
        return new ShutdownSettings(duration(properties, "quarkus.shutdown.delay"), duration(properties, "quarkus.shutdown.timeout"));
    }

    private static Duration duration(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new AssertionError(key + " is not set in application.properties");
        }
        Matcher simple = SIMPLE.matcher(value.trim());
        if (!simple.matches()) {
            return Duration.parse(value.trim());
        }
        long amount = Long.parseLong(simple.group(1));
        return switch (simple.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
