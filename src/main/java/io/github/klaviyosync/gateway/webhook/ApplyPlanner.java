package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.member.Subscriber;
import io.github.klaviyosync.gateway.member.SubscriberRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * Reads a claimed event and gathers what applying it needs, outside any transaction: for a flow
 * push, the list (fetched from Klaviyo when unknown) and a real profile id (resolved through
 * Klaviyo when the pushed one is not a ULID, so one person is never stored twice); for a consent
 * event, the profile when the gateway has not seen it yet.
 */
@ApplicationScoped
public class ApplyPlanner {

    /** Klaviyo's profile ids: 26-character ULIDs (Crockford base32, upper case). */
    private static final Pattern ULID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private final WebhookEventRepository events;
    private final ListRepository lists;
    private final SubscriberRepository subscribers;
    private final WebhookPayloads payloads;
    private final KlaviyoLookups klaviyo;

    ApplyPlanner(WebhookEventRepository events, ListRepository lists, SubscriberRepository subscribers,
            WebhookPayloads payloads, KlaviyoLookups klaviyo) {
        this.events = events;
        this.lists = lists;
        this.subscribers = subscribers;
        this.payloads = payloads;
        this.klaviyo = klaviyo;
    }

    public Uni<ApplyPlan> plan(long eventId) {
        return events.findById(eventId)
                .onItem().ifNull().failWith(() -> new ApplyException("the event no longer exists"))
                .chain(event -> event.kind == WebhookKind.FLOW ? planFlowPush(event) : planSystemEvent(event));
    }

    static boolean isProfileId(String id) {
        return ULID.matcher(id).matches();
    }

    private Uni<ApplyPlan> planFlowPush(WebhookEvent event) {
        FlowPush push = payloads.storedFlowPush(event.payload);
        return resolveProfile(event, push)
                .chain(fetched -> planList(event, push, fetched));
    }

    /** Null when the pushed id is a real profile id; else the profile Klaviyo knows it as. */
    private Uni<MemberProfile> resolveProfile(WebhookEvent event, FlowPush push) {
        if (isProfileId(push.profileId())) {
            return Uni.createFrom().nullItem();
        }
        return klaviyo.pushedProfile(event.accountId, push)
                .invoke(profile -> requireProfileId(profile.id()));
    }

    private Uni<ApplyPlan> planList(WebhookEvent event, FlowPush push, MemberProfile fetched) {
        String profileId = fetched == null ? push.profileId() : fetched.id();
        return lists.findByKlaviyoId(event.accountId, push.listId())
                .chain(list -> newListName(event, push, list))
                .map(newListName -> new ApplyPlan(event.id, event.accountId, event.kind, event.receivedAt,
                        event.occurredAt, push, profileId, newListName, fetched, null));
    }

    private Uni<String> newListName(WebhookEvent event, FlowPush push, KlaviyoList known) {
        if (known != null) {
            return Uni.createFrom().nullItem();
        }
        return klaviyo.list(event.accountId, push.listId())
                .map(ListItem::name)
                .onItem().ifNull().failWith(() -> new ApplyException("Klaviyo returned a list without a name"));
    }

    private Uni<ApplyPlan> planSystemEvent(WebhookEvent event) {
        SystemWebhook.Event stored = payloads.storedEvent(event.payload);
        ConsentTopic consent = ConsentTopic.of(stored.topic()).orElse(null);
        if (consent == null) {
            return Uni.createFrom().item(new ApplyPlan(event.id, event.accountId, event.kind, event.receivedAt,
                    event.occurredAt, null, null, null, null, null));
        }
        String profileId = WebhookPayloads.profileId(stored);
        return subscribers.findByProfileId(event.accountId, profileId)
                .chain(known -> unseenProfile(event, profileId, known))
                .map(fetched -> new ApplyPlan(event.id, event.accountId, event.kind, event.receivedAt,
                        event.occurredAt, null, profileId, null, fetched, consent));
    }

    private Uni<MemberProfile> unseenProfile(WebhookEvent event, String profileId, Subscriber known) {
        if (known != null) {
            return Uni.createFrom().nullItem();
        }
        return klaviyo.profile(event.accountId, profileId);
    }

    private static void requireProfileId(String id) {
        if (id == null || !isProfileId(id)) {
            throw new ApplyException("Klaviyo resolved the pushed profile id to no profile id");
        }
    }
}
