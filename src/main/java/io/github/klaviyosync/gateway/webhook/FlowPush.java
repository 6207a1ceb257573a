package io.github.klaviyosync.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of a flow webhook, as CONTRACT.md's template renders it. Klaviyo renders a missing value
 * as an empty string, which means "unknown", never "erase".
 */
@RegisterForReflection
public record FlowPush(
        @JsonProperty("list_id") String listId,
        @JsonProperty("profile_id") String profileId,
        String email,
        @JsonProperty("phone_number") String phoneNumber,
        @JsonProperty("first_name") String firstName,
        @JsonProperty("last_name") String lastName) {

    /** A pushed value as the gateway takes it: trimmed, and null when empty (unknown). */
    public static String given(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        // No email, phone or names: records end up in logs.
        return "FlowPush[" + listId + ", " + profileId + "]";
    }
}
