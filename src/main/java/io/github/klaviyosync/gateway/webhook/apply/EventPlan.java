package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.webhook.ConsentTopic;
import io.github.klaviyosync.gateway.webhook.FlowPush;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import java.time.Instant;
import java.util.UUID;

/**
 * Everything writing one event needs, gathered before its transaction (Klaviyo calls included),
 * so the transaction only writes.
 *
 * @param push         the flow push (flow events), else null
 * @param profileId    Klaviyo's profile id (resolved for flow pushes), null for events that change nothing
 * @param listRowId    the gateway's row of the pushed list when it knows it, else null
 * @param newListName  the name of a pushed list the gateway does not know yet, as Klaviyo names it
 * @param fetched      the profile as Klaviyo has it, when the gateway had not seen it (or had to resolve it)
 * @param consent      the consent change (system consent topics), else null
 */
public record EventPlan(
        long eventId,
        UUID accountId,
        WebhookKind kind,
        Instant receivedAt,
        Instant occurredAt,
        FlowPush push,
        String profileId,
        Long listRowId,
        String newListName,
        MemberProfile fetched,
        ConsentTopic consent) {

    /** An event whose topic the gateway does not act on: writing it only marks it applied. */
    public boolean changesNothing() {
        return push == null && consent == null;
    }

    /** When the event happened, for ordering consent; the intake time when Klaviyo gave none. */
    public Instant eventTime() {
        return occurredAt != null ? occurredAt : receivedAt;
    }
}
