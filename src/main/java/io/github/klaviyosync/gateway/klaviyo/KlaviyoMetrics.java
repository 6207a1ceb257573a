package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The client's meters, per account and operation: {@code klaviyo.client.requests} (a timer: count
 * and latency of every HTTP request, by status), {@code klaviyo.client.throttled} (429s) and
 * {@code klaviyo.client.retries}. The account is named by {@link KlaviyoCredentials#metricLabel()}.
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
    void request(String account, KlaviyoOperation operation, int status, long nanos) {
        Timer.builder(REQUESTS)
                .description("HTTP requests to Klaviyo")
                .tag("account", account)
                .tag("operation", operation.operationId())
                .tag("status", status == 0 ? "io_error" : Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (status == 429) {
            counter(THROTTLED, "Klaviyo answers 429", account, operation).increment();
        }
    }

    void retry(String account, KlaviyoOperation operation) {
        counter(RETRIES, "Klaviyo requests retried", account, operation).increment();
    }

    /** Requests sent for an account's operation, whatever their answer (for tests and dashboards). */
    public long requests(String account, KlaviyoOperation operation) {
        return registry.find(REQUESTS).tag("account", account).tag("operation", operation.operationId())
                .timers().stream().mapToLong(Timer::count).sum();
    }

    /** 429s an account's operation received. */
    public long throttled(String account, KlaviyoOperation operation) {
        Counter counter = registry.find(THROTTLED).tag("account", account)
                .tag("operation", operation.operationId()).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** Retries made for an account's operation. */
    public long retries(String account, KlaviyoOperation operation) {
        Counter counter = registry.find(RETRIES).tag("account", account)
                .tag("operation", operation.operationId()).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private Counter counter(String name, String description, String account, KlaviyoOperation operation) {
        return Counter.builder(name)
                .description(description)
                .tag("account", account)
                .tag("operation", operation.operationId())
                .register(registry);
    }
}
