package io.github.klaviyosync.gateway.changes.api;

import io.github.klaviyosync.gateway.status.api.MemberView;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One change of the feed, with the member's state. */
@Schema(name = "Change", description = "A member joined or left a list, or a person's consent or contact changed")
public record ChangeView(
        @Schema(description = "The change's cursor (opaque): pass it as `after`, or as Last-Event-ID, to resume after it",
                example = "YzE6NzQxOjEyOQ") String id,
        @Schema(description = "When the writing transaction began") Instant at,
        UUID accountId,
        @Schema(nullable = true, description = "Klaviyo's id of the list; null for a change of the person alone (consent, contact)")
        String listId,
        @Schema(description = "Klaviyo's profile id") String profileId,
        @Schema(enumeration = {"joined", "left", "consent", "contact"}) String type,
        @Schema(description = "The member as stored when the change is read (for a change of the person alone, without "
                + "joinedAt, source and removedAt): applying changes in order ends with what the gateway stores")
        MemberView member) {
}
