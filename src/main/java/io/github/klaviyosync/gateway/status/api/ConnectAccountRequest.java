package io.github.klaviyosync.gateway.status.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What {@code POST /api/accounts} takes. */
@Schema(name = "ConnectAccount")
public record ConnectAccountRequest(
        @Schema(required = true, example = "Acme Outdoor", maxLength = 200) String name,
        @Schema(required = true, description = "The account's Klaviyo private API key; stored encrypted, never shown again",
                example = "pk_0123456789abcdef0123456789abcdef01") String apiKey,
        @Schema(description = "The secret Klaviyo signs system webhooks with; without it, system webhooks are refused",
                nullable = true) String webhookSecret) {

    @Override
    public String toString() {
        return "ConnectAccountRequest[" + name + ", apiKey=***, webhookSecret=***]";
    }
}
