package io.github.klaviyosync.gateway.klaviyo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The client's meters, per account and operation: {@code klaviyo.client.requests} (a timer: count
 * and latency of every HTTP request, by status), {@code klaviyo.client.throttled} (429s) and
 * {@code klaviyo.client.retries}.
 */
@ApplicationScoped
public class KlaviyoMetrics {

    static final String REQUESTS = "klaviyo.client.requests";
    static final String THROTTLED = "klaviyo.client.throttled";
    static final String RETRIES = "klaviyo.client.retries";

    private final MeterRegistry registry;

    KlaviyoMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One HTTP request answered with {@code status} (0: no answer) after {@code nanos}. */
    void request(String accountKey, KlaviyoOperation operation, int status, long nanos) {
        Timer.builder(REQUESTS)
                .description("HTTP requests to Klaviyo")
                .tag("account", accountKey)
                .tag("operation", operation.operationId())
                .tag("status", status == 0 ? "io_error" : Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (status == 429) {
            counter(THROTTLED, "Klaviyo answers 429", accountKey, operation).increment();
        }
    }

    void retry(String accountKey, KlaviyoOperation operation) {
        counter(RETRIES, "Klaviyo requests retried", accountKey, operation).increment();
    }

    /** Requests sent for an account's operation, whatever their answer (for tests and dashboards). */
    public long requests(String accountKey, KlaviyoOperation operation) {
        return registry.find(REQUESTS).tag("account", accountKey).tag("operation", operation.operationId())
                .timers().stream().mapToLong(Timer::count).sum();
    }

    /** 429s an account's operation received. */
    public long throttled(String accountKey, KlaviyoOperation operation) {
        Counter counter = registry.find(THROTTLED).tag("account", accountKey)
                .tag("operation", operation.operationId()).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** Retries made for an account's operation. */
    public long retries(String accountKey, KlaviyoOperation operation) {
        Counter counter = registry.find(RETRIES).tag("account", accountKey)
                .tag("operation", operation.operationId()).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private Counter counter(String name, String description, String accountKey, KlaviyoOperation operation) {
        return Counter.builder(name)
                .description(description)
                .tag("account", accountKey)
                .tag("operation", operation.operationId())
                .register(registry);
    }
}
