package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A connected Klaviyo account; never carries its API key or webhook secret. */
@Schema(name = "Account", description = "A connected Klaviyo account. Never carries the API key or the webhook secret.")
public record AccountView(
        @Schema(description = "The gateway's id of the account", example = "0f8fad5b-d9cb-469f-a165-70867728950e") UUID id,
        @Schema(example = "Acme Outdoor") String name,
        @Schema(description = "Klaviyo's id of the account, as system webhooks carry it", example = "XyZ123") String klaviyoAccountId,
        @Schema(enumeration = {"active", "auth_failed", "deleted"}, example = "active") String status,
        @Schema(description = "Why the account is not active (extension), e.g. Klaviyo's reason for refusing the key",
                nullable = true) String statusReason,
        @Schema(example = "2026-11-28T03:00:00Z") Instant createdAt,
        @Schema(description = "When the consent and contact data of the account's stored members were last checked: the "
                + "start of the last complete profile sweep (every change Klaviyo made before it is served); null before "
                + "the first", nullable = true, example = "2026-11-28T03:15:00Z") Instant profilesCheckedAt,
        @Schema(description = "When the account's lists were last checked for new and renamed ones: the start of the last "
                + "list check or discovery that succeeded; null before the first discovery", nullable = true,
                example = "2026-11-28T03:20:00Z") Instant listsCheckedAt,
        @Schema(description = "Why the last list check failed, until one succeeds (extension)", nullable = true)
        String listsCheckError,
        WebhookEndpoints webhooks,
        @Schema(nullable = true, description = "The account's Klaviyo rate budget (extension): in the answers of GET; "
                + "null in those of POST, PATCH and DELETE") QuotaView quota) {

    /** Where Klaviyo pushes this account's webhooks. */
    @Schema(name = "AccountWebhooks")
    public record WebhookEndpoints(
            @Schema(example = "/webhooks/klaviyo/0f8fad5b-d9cb-469f-a165-70867728950e") String systemUrl,
            @Schema(example = "/webhooks/klaviyo/0f8fad5b-d9cb-469f-a165-70867728950e/flow") String flowUrl,
            @Schema(description = "The flow webhook token, shown only in the answers of POST /api/accounts and "
                    + "POST /api/accounts/{id}/flow-token; null everywhere else", nullable = true,
                    example = "3q2-7wAAAAB0oNZWcyBi3L8aKcNg8wRkbxqkJYw9k1s") String flowToken,
            @Schema(description = "Whether a webhook secret is stored, so signed system webhooks are accepted (extension)")
            boolean systemWebhooksEnabled) {
    }
}
