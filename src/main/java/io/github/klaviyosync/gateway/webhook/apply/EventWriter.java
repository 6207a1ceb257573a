package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.member.KlaviyoPeople;
import io.github.klaviyosync.gateway.member.MembershipRepository;
import io.github.klaviyosync.gateway.member.PhoneNumbers;
import io.github.klaviyosync.gateway.member.PushedMember;
import io.github.klaviyosync.gateway.member.SubscriberRepository;
import io.github.klaviyosync.gateway.member.SubscriberRepository.Channel;
import io.github.klaviyosync.gateway.webhook.ConsentTopic;
import io.github.klaviyosync.gateway.webhook.FlowPush;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes planned events, each batch (or lone event) in one transaction: the events still claimed by
 * the pass are marked applied first, in one statement that also locks them (the fence that makes an
 * event applied once even when a claim ran out and another instance took it), then their effects are
 * written by the member and list packages; a failure rolls the mark back with them. A flow push is always written as a batch, of one when it is alone;
 * a push naming a member a full sync found gone has their list polled instead of bringing them back.
 */
@ApplicationScoped
public class EventWriter {

    private final WebhookEventRepository events;
    private final MembershipRepository memberships;
    private final SubscriberRepository subscribers;
    private final ListRepository lists;
    private final KlaviyoPeople people;
    private final PhoneNumbers phones;
    private final Pool pool;

    EventWriter(WebhookEventRepository events, MembershipRepository memberships, SubscriberRepository subscribers,
            ListRepository lists, KlaviyoPeople people, PhoneNumbers phones, Pool pool) {
        this.events = events;
        this.memberships = memberships;
        this.subscribers = subscribers;
        this.lists = lists;
        this.people = people;
        this.phones = phones;
        this.pool = pool;
    }

    /** A batch of one account's flow pushes, in arrival order; the pushes this pass applied (those it still held). */
    public Uni<List<PlannedPush>> writePushes(String pass, List<PlannedPush> pushes) {
        List<Long> ids = pushes.stream().map(push -> push.event().id()).toList();
        UUID accountId = pushes.get(0).event().accountId();
        return pool.withTransaction(connection -> events.markClaimedApplied(connection, accountId, pass, ids)
                .chain(held -> writeHeldPushes(connection, pushes, new HashSet<>(held))));
    }

    /** One planned event; true when this pass applied it, false when it was no longer this pass's. */
    public Uni<Boolean> write(String pass, EventPlan plan) {
        return pool.withTransaction(connection -> events.markClaimedApplied(connection, plan.accountId(), pass, List.of(plan.eventId()))
                .chain(held -> held.isEmpty()
                        ? Uni.createFrom().item(false)
                        : effects(connection, plan)
                                .replaceWith(true)));
    }

    private Uni<List<PlannedPush>> writeHeldPushes(SqlConnection connection, List<PlannedPush> pushes, Set<Long> held) {
        List<PlannedPush> ours = pushes.stream().filter(push -> held.contains(push.event().id())).toList();
        if (ours.isEmpty()) {
            return Uni.createFrom().item(ours);
        }
        List<PushedMember> members = ours.stream().map(PlannedPush::member).toList();
        UUID accountId = ours.get(0).event().accountId();
        return memberships.applyPushes(connection, accountId, members)
                .chain(gone -> lists.requestPoll(connection, accountId, gone))
                .replaceWith(ours);
    }

    private Uni<Void> effects(SqlConnection connection, EventPlan plan) {
        if (plan.changesNothing()) {
            return Uni.createFrom().voidItem();
        }
        return plan.kind() == WebhookKind.FLOW ? pushEffects(connection, plan) : consentEffects(connection, plan);
    }

    private Uni<Void> pushEffects(SqlConnection connection, EventPlan plan) {
        Uni<Long> listRowId = plan.listRowId() != null
                ? Uni.createFrom().item(plan.listRowId())
                : lists.createPushed(connection, plan.accountId(), plan.push().listId(), plan.newListName());
        return listRowId
                .chain(listId -> memberships.applyPushes(connection, plan.accountId(), List.of(pushedMember(plan, listId))))
                .chain(gone -> lists.requestPoll(connection, plan.accountId(), gone))
                .replaceWithVoid();
    }

    private Uni<Void> consentEffects(SqlConnection connection, EventPlan plan) {
        Uni<Void> stored = plan.fetched() == null
                ? Uni.createFrom().voidItem()
                : subscribers.storeFromKlaviyo(connection, plan.accountId(), people.of(plan.fetched()));
        ConsentTopic consent = plan.consent();
        Channel channel = consent.channel() == ConsentTopic.Channel.SMS ? Channel.SMS : Channel.EMAIL;
        return stored
                .chain(() -> subscribers.applyConsentEvent(connection, plan.accountId(), plan.profileId(), channel,
                        consent.consent(), plan.eventTime()))
                .replaceWithVoid();
    }

    /** The pushed values, each unless empty (Klaviyo renders a missing value as ""), else the fetched profile's. */
    private PushedMember pushedMember(EventPlan plan, long listId) {
        FlowPush push = plan.push();
        var fetched = plan.fetched();
        return new PushedMember(listId, plan.profileId(),
                either(push.email(), fetched == null ? null : fetched.email()),
                phones.normalise(either(push.phoneNumber(), fetched == null ? null : fetched.phoneNumber())),
                either(push.firstName(), fetched == null ? null : fetched.firstName()),
                either(push.lastName(), fetched == null ? null : fetched.lastName()),
                plan.receivedAt());
    }

    private static String either(String pushed, String fallback) {
        String given = FlowPush.given(pushed);
        return given != null ? given : FlowPush.given(fallback);
    }
}
