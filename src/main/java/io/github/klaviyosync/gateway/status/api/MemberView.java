package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A subscriber on a list. */
@Schema(name = "Member", description = "A subscriber's membership of a list")
public record MemberView(
        @Schema(description = "Klaviyo's profile id", example = "01JDKZ7B4S8Y2M0N6Q3R5T7V9W") String profileId,
        @Schema(nullable = true, example = "jane@example.com") String email,
        @Schema(nullable = true, description = "E.164, or null when there is none or it does not parse", example = "+15551234567") String phone,
        @Schema(nullable = true, description = "The phone as Klaviyo gave it", example = "(555) 123-4567") String phoneRaw,
        @Schema(nullable = true, enumeration = {"SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"}) String smsConsent,
        @Schema(nullable = true, enumeration = {"SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"}) String emailConsent,
        @Schema(nullable = true, description = "Klaviyo's joined_group_at", example = "2026-11-28T02:59:00Z") Instant joinedAt,
        @Schema(enumeration = {"poll", "webhook"}) String source,
        @Schema(nullable = true, description = "When the member left the list; null while on it") Instant removedAt) {
}
