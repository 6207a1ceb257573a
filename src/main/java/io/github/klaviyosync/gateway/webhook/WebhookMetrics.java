package io.github.klaviyosync.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * The webhook meters (Prometheus names {@code gateway_webhooks_*}). Tags carry the kind and a
 * rejection reason only: never an id of a person, never a secret.
 */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry registry;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Events in requests that verified and parsed (duplicates included). */
    public void received(WebhookKind kind, int events) {
        counter("gateway.webhooks.received", kind).increment(events);
    }

    /** System events acknowledged without storing them again. */
    public void duplicates(WebhookKind kind, int events) {
        if (events > 0) {
            counter("gateway.webhooks.duplicates", kind).increment(events);
        }
    }

    /** Requests refused, by reason ({@code signature}, {@code timestamp}, {@code malformed}, …). */
    public void rejected(WebhookKind kind, String reason) {
        Counter.builder("gateway.webhooks.rejected")
                .description("Webhook requests refused, by reason")
                .tag("kind", kind.wire())
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void applied(WebhookKind kind, Instant receivedAt, Instant appliedAt) {
        counter("gateway.webhooks.applied", kind).increment();
        Timer.builder("gateway.webhooks.intake.to.applied")
                .description("Time from storing a webhook event to applying it")
                .tag("kind", kind.wire())
                .register(registry)
                .record(Duration.between(receivedAt, appliedAt).abs());
    }

    /** Events given up after the last attempt. */
    public void failed(WebhookKind kind) {
        counter("gateway.webhooks.failed", kind).increment();
    }

    /** Attempts that failed and will be retried. */
    public void retried(WebhookKind kind) {
        counter("gateway.webhooks.apply.retries", kind).increment();
    }

    private Counter counter(String name, WebhookKind kind) {
        return Counter.builder(name).tag("kind", kind.wire()).register(registry);
    }
}
