package io.github.klaviyosync.gateway.status.api;

import io.github.klaviyosync.gateway.webhook.WebhookEvent;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.WebhookStatus;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** CONTRACT.md's {@code WebhookEvent}: a stored event as the status API shows it (never its payload). */
@Schema(name = "WebhookEvent", description = "A webhook event as stored and applied (never its payload)")
public record WebhookEventView(
        long id,
        WebhookKind kind,
        String externalId,
        String topic,
        WebhookStatus status,
        int attempts,
        Instant receivedAt,
        String error) {

    public static WebhookEventView of(WebhookEvent event) {
        return new WebhookEventView(event.id, event.kind, event.externalId, event.topic, event.status, event.attempts,
                event.receivedAt, event.error);
    }
}
