package io.github.klaviyosync.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A system webhook request as Klaviyo sends it: several events in {@code data}, and {@code meta}
 * naming the Klaviyo account and the webhook. Elements stay JSON trees so each is stored as received.
 */
@RegisterForReflection
public record SystemWebhook(List<JsonNode> data, Meta meta) {

    /** Who sent the request. */
    @RegisterForReflection
    public record Meta(
            @JsonProperty("klaviyo_account_id") String klaviyoAccountId,
            @JsonProperty("klaviyo_webhook_id") String klaviyoWebhookId) {
    }

    /** One element of {@code data}: the idempotency key, the topic and the event itself. */
    @RegisterForReflection
    public record Event(
            @JsonProperty("external_id") String externalId,
            String topic,
            JsonNode payload) {
    }
}
