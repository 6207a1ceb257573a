package io.github.klaviyosync.gateway.status.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What {@code PATCH /api/accounts/{id}} takes: every field optional, absent means unchanged. */
@Schema(name = "UpdateAccount")
public record UpdateAccountRequest(
        @Schema(nullable = true, example = "Acme Outdoor EU", maxLength = 200) String name,
        @Schema(nullable = true, description = "A new Klaviyo private API key, checked against Klaviyo first (422 when refused); "
                + "it must belong to the same Klaviyo account. An auth_failed account becomes active.") String apiKey,
        @Schema(nullable = true, description = "A new system webhook secret") String webhookSecret) {

    @Override
    public String toString() {
        return "UpdateAccountRequest[" + name + ", apiKey=***, webhookSecret=***]";
    }
}
