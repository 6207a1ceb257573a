package io.github.klaviyosync.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook meters (Prometheus names {@code gateway_webhooks_*}). Tags carry the kind and a
 * rejection reason only: never an id of a person, never a secret. Each meter is looked up in the
 * registry once and kept: the intake counts every request, and a registry lookup (an id, its tags
 * sorted, a map) cost more than the count.
 */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry registry;
    // Registered on first use (a series appears once it has something to say), then kept.
    private final Map<WebhookKind, Counter> received = new ConcurrentHashMap<>();
    private final Map<WebhookKind, Counter> duplicates = new ConcurrentHashMap<>();
    private final Map<WebhookKind, Counter> applied = new ConcurrentHashMap<>();
    private final Map<WebhookKind, Timer> intakeToApplied = new ConcurrentHashMap<>();
    private final Map<WebhookKind, Counter> failed = new ConcurrentHashMap<>();
    private final Map<WebhookKind, Counter> retried = new ConcurrentHashMap<>();
    /** Rejections by kind and reason; reasons are the few constants the intake gives. */
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Events in requests that verified and parsed (duplicates included). */
    public void received(WebhookKind kind, int events) {
        counter(received, "gateway.webhooks.received", kind).increment(events);
    }

    /** System events acknowledged without storing them again. */
    public void duplicates(WebhookKind kind, int events) {
        if (events > 0) {
            counter(duplicates, "gateway.webhooks.duplicates", kind).increment(events);
        }
    }

    /** Requests refused, by reason ({@code signature}, {@code timestamp}, {@code malformed}, …). */
    public void rejected(WebhookKind kind, String reason) {
        rejected.computeIfAbsent(kind.wire() + ':' + reason, ignored -> Counter.builder("gateway.webhooks.rejected")
                        .description("Webhook requests refused, by reason")
                        .tag("kind", kind.wire())
                        .tag("reason", reason)
                        .register(registry))
                .increment();
    }

    public void applied(WebhookKind kind, Instant receivedAt, Instant appliedAt) {
        counter(applied, "gateway.webhooks.applied", kind).increment();
        intakeToApplied.computeIfAbsent(kind, ignored -> Timer.builder("gateway.webhooks.intake.to.applied")
                        .description("Time from storing a webhook event to applying it")
                        .tag("kind", kind.wire())
                        .register(registry))
                .record(Duration.between(receivedAt, appliedAt).abs());
    }

    /** Events given up after the last attempt. */
    public void failed(WebhookKind kind) {
        counter(failed, "gateway.webhooks.failed", kind).increment();
    }

    /** Attempts that failed and will be retried. */
    public void retried(WebhookKind kind) {
        counter(retried, "gateway.webhooks.apply.retries", kind).increment();
    }

    private Counter counter(Map<WebhookKind, Counter> kept, String name, WebhookKind kind) {
        return kept.computeIfAbsent(kind, ignored -> Counter.builder(name).tag("kind", kind.wire()).register(registry));
    }
}
