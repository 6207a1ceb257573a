package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.member.PhoneNumbers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plans a run of one account's claimed flow pushes (in arrival order) for {@link FlowPushBatchWriter}:
 * the pushes that need nothing from Klaviyo (a real profile id, a list the gateway knows) are applied
 * together; any other push, or one whose stored payload does not read, stays on its own and is applied
 * one by one ({@link ApplyPlanner}), between the batches before and after it, so order is kept.
 * Two queries for the whole run: the events' payloads, and the lists they name.
 */
@ApplicationScoped
public class FlowPushBatchPlanner {

    private static final String EVENTS = "select id, payload, received_at from webhook_event where id = any($1)";

    private static final String LISTS = """
            select klaviyo_list_id, id from klaviyo_list where account_id = $1 and klaviyo_list_id = any($2)""";

    private final Pool pool;
    private final WebhookPayloads payloads;
    private final PhoneNumbers phones;

    FlowPushBatchPlanner(Pool pool, WebhookPayloads payloads, PhoneNumbers phones) {
        this.pool = pool;
        this.payloads = payloads;
        this.phones = phones;
    }

    /** One push ready to be applied in a batch: its values as the one-by-one path would write them. */
    public record PlannedPush(ClaimedEvent event, Instant receivedAt, long listId, String profileId, String email,
            PhoneNumbers.Normalised phone, String firstName, String lastName) {

        @Override
        public String toString() {
            return "PlannedPush[" + event.id() + "]";
        }
    }

    /** Either a batch of pushes or one event applied on its own. */
    public record Step(List<PlannedPush> batch, ClaimedEvent single) {
    }

    /** The run cut into steps, in arrival order. */
    public Uni<List<Step>> plan(UUID accountId, List<ClaimedEvent> run) {
        Long[] ids = run.stream().map(ClaimedEvent::id).toArray(Long[]::new);
        return pool.withConnection(connection -> connection.preparedQuery(EVENTS).execute(Tuple.tuple().addArrayOfLong(ids))
                .chain(rows -> {
                    Map<Long, Stored> stored = new HashMap<>();
                    rows.forEach(row -> stored.put(row.getLong("id"), stored(row)));
                    String[] listIds = stored.values().stream()
                            .filter(push -> push.push() != null)
                            .map(push -> push.push().listId())
                            .distinct()
                            .toArray(String[]::new);
                    return connection.preparedQuery(LISTS).execute(Tuple.tuple().addUUID(accountId).addArrayOfString(listIds))
                            .map(lists -> {
                                Map<String, Long> known = new HashMap<>();
                                lists.forEach(row -> known.put(row.getString("klaviyo_list_id"), row.getLong("id")));
                                return steps(run, stored, known);
                            });
                }));
    }

    private Stored stored(Row row) {
        FlowPush push;
        try {
            push = payloads.storedFlowPush(row.getString("payload"));
        } catch (ApplyException unreadable) {
            push = null;
        }
        return new Stored(push, row.getOffsetDateTime("received_at").toInstant());
    }

    private List<Step> steps(List<ClaimedEvent> run, Map<Long, Stored> stored, Map<String, Long> knownLists) {
        List<Step> steps = new ArrayList<>();
        List<PlannedPush> batch = new ArrayList<>();
        for (ClaimedEvent event : run) {
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

    /** The push planned for a batch, or null when it must go the one-by-one way. */
    private PlannedPush planned(ClaimedEvent event, Stored stored, Map<String, Long> knownLists) {
        if (stored == null || stored.push() == null) {
            return null;
        }
        FlowPush push = stored.push();
        Long listId = push.listId() == null ? null : knownLists.get(push.listId());
        if (listId == null || push.profileId() == null || !ApplyPlanner.isProfileId(push.profileId())) {
            return null;
        }
        return new PlannedPush(event, stored.receivedAt(), listId, push.profileId(), FlowPush.given(push.email()),
                phones.normalise(FlowPush.given(push.phoneNumber())), FlowPush.given(push.firstName()), FlowPush.given(push.lastName()));
    }



    private record Stored(FlowPush push, Instant receivedAt) {
    }
}
