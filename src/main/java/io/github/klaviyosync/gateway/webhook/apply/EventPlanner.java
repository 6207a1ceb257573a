package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.member.Subscriber;
import io.github.klaviyosync.gateway.member.SubscriberRepository;
import io.github.klaviyosync.gateway.webhook.ConsentTopic;
import io.github.klaviyosync.gateway.webhook.FlowPush;
import io.github.klaviyosync.gateway.webhook.SystemWebhook;
import io.github.klaviyosync.gateway.webhook.UnappliableEvent;
import io.github.klaviyosync.gateway.webhook.WebhookEvent;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.WebhookPayloads;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads a claimed event and gathers what writing it needs, outside any transaction: for a flow
 * push, the list (its name fetched from Klaviyo when the gateway does not know it yet); for a consent
 * event, the profile when the gateway has not seen it yet. A pushed profile id is Klaviyo's id,
 * whatever its length (older profiles keep 6-character ids, which {@code person.KlaviyoID} renders).
 */
@ApplicationScoped
public class EventPlanner {

    private final WebhookEventRepository events;
    private final ListRepository lists;
    private final SubscriberRepository subscribers;
    private final WebhookPayloads payloads;
    private final KlaviyoLookups klaviyo;

    EventPlanner(WebhookEventRepository events, ListRepository lists, SubscriberRepository subscribers,
            WebhookPayloads payloads, KlaviyoLookups klaviyo) {
        this.events = events;
        this.lists = lists;
        this.subscribers = subscribers;
        this.payloads = payloads;
        this.klaviyo = klaviyo;
    }

    @WithSession
    public Uni<EventPlan> plan(long eventId) {
        return events.findById(eventId)
                .onItem().ifNull().failWith(() -> new UnappliableEvent("the event no longer exists"))
                .chain(event -> event.kind == WebhookKind.FLOW ? planFlowPush(event) : planSystemEvent(event));
    }

    private Uni<EventPlan> planFlowPush(WebhookEvent event) {
        FlowPush push = payloads.storedFlowPush(event.payload);
        return lists.findByKlaviyoId(event.accountId, push.listId())
                .chain(list -> newListName(event, push, list)
                        .map(newListName -> new EventPlan(event.id, event.accountId, event.kind, event.receivedAt,
                                event.occurredAt, push, push.profileId(), list == null ? null : list.id, newListName,
                                null, null)));
    }

    private Uni<String> newListName(WebhookEvent event, FlowPush push, KlaviyoList known) {
        if (known != null) {
            return Uni.createFrom().nullItem();
        }
        return klaviyo.list(event.accountId, push.listId())
                .map(ListItem::name)
                .onItem().ifNull().failWith(() -> new UnappliableEvent("Klaviyo returned a list without a name"));
    }

    private Uni<EventPlan> planSystemEvent(WebhookEvent event) {
        SystemWebhook.Event stored = payloads.storedEvent(event.payload);
        ConsentTopic consent = ConsentTopic.of(stored.topic()).orElse(null);
        if (consent == null) {
            return Uni.createFrom().item(new EventPlan(event.id, event.accountId, event.kind, event.receivedAt,
                    event.occurredAt, null, null, null, null, null, null));
        }
        String profileId = WebhookPayloads.profileId(stored);
        return subscribers.findByProfileId(event.accountId, profileId)
                .chain(known -> unseenProfile(event, profileId, known))
                .map(fetched -> new EventPlan(event.id, event.accountId, event.kind, event.receivedAt,
                        event.occurredAt, null, profileId, null, null, fetched, consent));
    }

    private Uni<MemberProfile> unseenProfile(WebhookEvent event, String profileId, Subscriber known) {
        if (known != null) {
            return Uni.createFrom().nullItem();
        }
        return klaviyo.profile(event.accountId, profileId);
    }
}
