package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.webhook.FlowPushBatchPlanner.PlannedPush;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a batch of one account's flow pushes in one transaction of two statements, with the effect
 * of applying them one after another in arrival order (as {@link MembershipWriter} does one at a
 * time): the events still claimed by this pass are locked (the fence against a lease that ran out),
 * then one statement upserts their subscribers (a later push's value wins, an empty one never erases),
 * their memberships (new or rejoining; the first push of a member sets the join time), the lists'
 * member counts, and marks the events applied. A push whose event is no longer this pass's is skipped.
 */
@ApplicationScoped
public class FlowPushBatchWriter {

    private static final String LOCK_CLAIMED = """
            select id from webhook_event where id = any($1) and status = 'received' and claimed_by = $2 for update""";

    // Subscribers are locked in profile-id order, as member pages lock them: the two never deadlock.
    private static final String APPLY = """
            with s as (
                insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                             first_name, last_name)
                select $1, p.pid, p.email, p.e164, p.raw, p.invalid, p.first, p.last
                  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::text[])
                       as p(pid, email, e164, raw, invalid, first, last)
                 order by p.pid
                """ + PushMerge.SUBSCRIBER_CONFLICT + """
                returning t.id, t.klaviyo_profile_id
            ), m as (
                insert into list_membership as lm (list_id, subscriber_id, account_id, joined_at, source)
                select j.list_id, s.id, $1, j.joined, 'webhook'
                  from unnest($9::bigint[], $10::text[], $11::timestamptz[]) as j(list_id, pid, joined)
                  join s on s.klaviyo_profile_id = j.pid
                """ + PushMerge.MEMBERSHIP_CONFLICT + """
                returning lm.list_id
            ), counted as (
                update klaviyo_list l set member_count = l.member_count + a.added, updated_at = now()
                  from (select list_id, count(*) as added from m group by list_id) a
                 where l.id = a.list_id
                returning l.id
            ), applied as (
                update webhook_event set status = 'applied', applied_at = now(), claimed_by = null, claimed_until = null,
                    error = null
                where id = any($12::bigint[])
                returning id
            )
            select (select count(*) from applied) as applied, (select count(*) from counted) as lists""";

    private final Pool pool;

    FlowPushBatchWriter(Pool pool) {
        this.pool = pool;
    }

    /** The pushes this pass applied (those still claimed by it), in arrival order. */
    public Uni<List<PlannedPush>> apply(String pass, List<PlannedPush> pushes) {
        Long[] ids = pushes.stream().map(push -> push.event().id()).toArray(Long[]::new);
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK_CLAIMED)
                .execute(Tuple.tuple().addArrayOfLong(ids).addString(pass))
                .chain(rows -> {
                    Set<Long> ours = new HashSet<>();
                    rows.forEach(row -> ours.add(row.getLong("id")));
                    List<PlannedPush> claimed = pushes.stream().filter(push -> ours.contains(push.event().id())).toList();
                    return claimed.isEmpty()
                            ? Uni.createFrom().item(claimed)
                            : write(connection, claimed).replaceWith(claimed);
                }));
    }

    private static Uni<Void> write(SqlConnection connection, List<PlannedPush> pushes) {
        Map<String, Merged> subscribers = new LinkedHashMap<>();
        Map<String, PlannedPush> memberships = new LinkedHashMap<>();
        for (PlannedPush push : pushes) {
            subscribers.computeIfAbsent(push.profileId(), Merged::new).add(push);
            // The first push of a member to a list decides; later ones find the member on it.
            memberships.putIfAbsent(push.listId() + "/" + push.profileId(), push);
        }
        List<Merged> merged = List.copyOf(subscribers.values());
        List<PlannedPush> joined = List.copyOf(memberships.values());
        Tuple parameters = Tuple.tuple()
                .addUUID(pushes.get(0).event().accountId())
                .addArrayOfString(merged.stream().map(Merged::profileId).toArray(String[]::new))
                .addArrayOfString(merged.stream().map(Merged::email).toArray(String[]::new))
                .addArrayOfString(merged.stream().map(Merged::e164).toArray(String[]::new))
                .addArrayOfString(merged.stream().map(Merged::raw).toArray(String[]::new))
                .addArrayOfBoolean(merged.stream().map(Merged::invalid).toArray(Boolean[]::new))
                .addArrayOfString(merged.stream().map(Merged::firstName).toArray(String[]::new))
                .addArrayOfString(merged.stream().map(Merged::lastName).toArray(String[]::new))
                .addArrayOfLong(joined.stream().map(PlannedPush::listId).toArray(Long[]::new))
                .addArrayOfString(joined.stream().map(PlannedPush::profileId).toArray(String[]::new))
                .addArrayOfOffsetDateTime(joined.stream().map(push -> push.receivedAt().atOffset(ZoneOffset.UTC))
                        .toArray(OffsetDateTime[]::new))
                .addArrayOfLong(pushes.stream().map(push -> push.event().id()).toArray(Long[]::new));
        return connection.preparedQuery(APPLY).execute(parameters).replaceWithVoid();
    }

    /** One subscriber's values after the batch's pushes of it, applied in order. */
    private static final class Merged {
        private final String profileId;
        private String email;
        private String e164;
        private String raw;
        private boolean invalid;
        private String firstName;
        private String lastName;

        Merged(String profileId) {
            this.profileId = profileId;
        }

        void add(PlannedPush push) {
            email = push.email() != null ? push.email() : email;
            firstName = push.firstName() != null ? push.firstName() : firstName;
            lastName = push.lastName() != null ? push.lastName() : lastName;
            if (push.phone().raw() != null) {
                e164 = push.phone().e164();
                raw = push.phone().raw();
                invalid = push.phone().invalid();
            }
        }

        String profileId() {
            return profileId;
        }

        String email() {
            return email;
        }

        String e164() {
            return e164;
        }

        String raw() {
            return raw;
        }

        Boolean invalid() {
            return invalid;
        }

        String firstName() {
            return firstName;
        }

        String lastName() {
            return lastName;
        }
    }
}
