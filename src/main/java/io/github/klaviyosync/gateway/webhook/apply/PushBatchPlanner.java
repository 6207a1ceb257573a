package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.member.PhoneNumbers;
import io.github.klaviyosync.gateway.member.PushedMember;
import io.github.klaviyosync.gateway.webhook.FlowPush;
import io.github.klaviyosync.gateway.webhook.UnappliableEvent;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository.StoredPayload;
import io.github.klaviyosync.gateway.webhook.WebhookPayloads;
import io.github.klaviyosync.gateway.webhook.apply.WebhookClaimRepository.Claimed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plans a run of one account's claimed flow pushes (in arrival order) for {@link EventWriter}: the
 * pushes that need nothing from Klaviyo (to a list the gateway knows) are written
 * together; any other push, or one whose stored payload does not read, stays on its own and is
 * planned and written one by one ({@link EventPlanner}), between the batches before and after it,
 * so order is kept. Two queries for the whole run: the events' payloads, and the lists they name.
 */
@ApplicationScoped
public class PushBatchPlanner {

    private final WebhookEventRepository events;
    private final ListRepository lists;
    private final WebhookPayloads payloads;
    private final PhoneNumbers phones;
    private final Pool pool;

    PushBatchPlanner(WebhookEventRepository events, ListRepository lists, WebhookPayloads payloads, PhoneNumbers phones,
            Pool pool) {
        this.events = events;
        this.pool = pool;
        this.lists = lists;
        this.payloads = payloads;
        this.phones = phones;
    }

    /** Either a batch of pushes or one event planned on its own. */
    public record Step(List<PlannedPush> batch, Claimed single) {
    }

    /**
     * The run cut into steps, in arrival order. Read on one pooled connection without an ORM session:
     * entities would cost a persistence context and an SQL translation per run size for two reads.
     */
    public Uni<List<Step>> plan(UUID accountId, List<Claimed> run) {
        return pool.withConnection(connection -> events.payloads(connection, accountId, run.stream().map(Claimed::id).toList())
                .map(this::pushesById)
                .chain(pushes -> lists.idsByKlaviyoIds(connection, accountId, namedLists(pushes))
                        .map(known -> steps(run, pushes, known))));
    }

    private Map<Long, Stored> pushesById(List<StoredPayload> stored) {
        Map<Long, Stored> pushes = new HashMap<>();
        stored.forEach(event -> pushes.put(event.id(), new Stored(readable(event.payload()), event.receivedAt())));
        return pushes;
    }

    private static List<String> namedLists(Map<Long, Stored> pushes) {
        return pushes.values().stream()
                .filter(stored -> stored.push() != null)
                .map(stored -> stored.push().listId())
                .distinct()
                .toList();
    }

    private FlowPush readable(String payload) {
        try {
            return payloads.storedFlowPush(payload);
        } catch (UnappliableEvent unreadable) {
            return null;
        }
    }

    private List<Step> steps(List<Claimed> run, Map<Long, Stored> stored, Map<String, Long> knownLists) {
        List<Step> steps = new ArrayList<>();
        List<PlannedPush> batch = new ArrayList<>();
        for (Claimed event : run) {
            PlannedPush planned = planned(event, stored.get(event.id()), knownLists);
            if (planned != null) {
                batch.add(planned);
                continue;
            }
            if (!batch.isEmpty()) {
                steps.add(new Step(batch, null));
                batch = new ArrayList<>();
            }
            steps.add(new Step(null, event));
        }
        if (!batch.isEmpty()) {
            steps.add(new Step(batch, null));
        }
        return steps;
    }

    /** The push planned for a batch, or null when it must be planned on its own. */
    private PlannedPush planned(Claimed event, Stored stored, Map<String, Long> knownLists) {
        if (stored == null || stored.push() == null) {
            return null;
        }
        FlowPush push = stored.push();
        Long listId = knownLists.get(push.listId());
        if (listId == null) {
            return null;
        }
        PushedMember member = new PushedMember(listId, push.profileId(), FlowPush.given(push.email()),
                phones.normalise(FlowPush.given(push.phoneNumber())), FlowPush.given(push.firstName()),
                FlowPush.given(push.lastName()), stored.receivedAt());
        return new PlannedPush(event, member);
    }

    private record Stored(FlowPush push, Instant receivedAt) {
    }
}
