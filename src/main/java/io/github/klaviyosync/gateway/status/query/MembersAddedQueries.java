package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.member.MembershipSource;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.github.klaviyosync.gateway.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Members an account gained per interval, by the path that brought them (poll or webhook), from
 * when the gateway first stored each membership ({@code list_membership_first_seen} index).
 */
@ApplicationScoped
@WithSession
public class MembersAddedQueries {

    /** Slots are whole intervals since the epoch, so every caller sees the same boundaries. */
    private static final String ADDED_PER_SLOT = """
            select cast(floor(extract(epoch from m.first_seen_at) / $1) as bigint) as slot, m.source, count(*) as added
              from list_membership m
             where m.account_id = $2
               and m.first_seen_at >= $3
             group by 1, 2""";

    private final Scope scope;
    private final Pool pool;

    MembersAddedQueries(Scope scope, Pool pool) {
        this.scope = scope;
        this.pool = pool;
    }

    /** One interval: when it starts and the members added in it by each path. */
    public record Slot(Instant start, long poll, long webhook) {
    }

    /** The last {@code count} intervals of {@code interval}, oldest first; the last one is the current one. */
    public Uni<List<Slot>> addedPerInterval(UUID accountId, Duration interval, int count, Instant now) {
        long seconds = Math.max(1, interval.toSeconds());
        long currentSlot = Math.floorDiv(now.getEpochSecond(), seconds);
        long firstSlot = currentSlot - count + 1;
        return scope.account(accountId)
                .chain(account -> pool.withConnection(connection -> connection.preparedQuery(ADDED_PER_SLOT)
                        .execute(Tuple.of(seconds, accountId, Rows.timestamp(Instant.ofEpochSecond(firstSlot * seconds))))))
                .map(rows -> slots(rows, firstSlot, count, seconds));
    }

    private static List<Slot> slots(RowSet<Row> rows, long firstSlot, int count, long seconds) {
        long[] poll = new long[count];
        long[] webhook = new long[count];
        for (Row row : rows) {
            int index = (int) (row.getLong("slot") - firstSlot);
            if (index < 0 || index >= count) {
                continue; // stored in the future by a clock ahead of this one
            }
            long added = row.getLong("added");
            if (MembershipSource.WEBHOOK.wire().equals(row.getString("source"))) {
                webhook[index] += added;
            } else {
                poll[index] += added;
            }
        }
        List<Slot> slots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.add(new Slot(Instant.ofEpochSecond((firstSlot + i) * seconds), poll[i], webhook[i]));
        }
        return slots;
    }
}
