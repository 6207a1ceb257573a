package io.github.klaviyosync.gateway.webhook;

import java.time.Instant;
import java.util.UUID;

/** An event about to enter the inbox: a system event (with Klaviyo's id) or a flow push (without). */
public record NewEvent(UUID accountId, WebhookKind kind, String externalId, String topic, String payload, Instant occurredAt) {

    @Override
    public String toString() {
        // Without the payload: it holds personal data.
        return "NewEvent[" + accountId + ", " + kind + ", " + externalId + ", " + topic + "]";
    }
}
