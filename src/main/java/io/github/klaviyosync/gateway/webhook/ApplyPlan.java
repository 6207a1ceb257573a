package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import java.time.Instant;
import java.util.UUID;

/**
 * Everything applying one event needs, gathered before its transaction (Klaviyo calls included),
 * so the transaction only writes.
 *
 * @param push         the flow push (flow events), else null
 * @param profileId    Klaviyo's profile id (resolved for flow pushes), null for events that change nothing
 * @param newListName  a list to create first, named as Klaviyo names it (flow pushes to an unknown list)
 * @param fetched      the profile as Klaviyo has it, when the gateway had not seen it (or had to resolve it)
 * @param consent      the consent change (system consent topics), else null
 */
public record ApplyPlan(
        long eventId,
        UUID accountId,
        WebhookKind kind,
        Instant receivedAt,
        Instant occurredAt,
        FlowPush push,
        String profileId,
        String newListName,
        MemberProfile fetched,
        ConsentTopic consent) {

    /** An event whose topic the gateway does not act on: applying it only marks it applied. */
    public boolean changesNothing() {
        return push == null && consent == null;
    }

    /** When the event happened, for ordering consent; the intake time when Klaviyo gave none. */
    public Instant eventTime() {
        return occurredAt != null ? occurredAt : receivedAt;
    }
}
