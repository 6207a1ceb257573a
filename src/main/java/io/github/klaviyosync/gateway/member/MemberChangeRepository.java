package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The {@code member_change} table, the change feed's outbox. Its rows are written by the triggers of
 * migration V8 inside the statements that change memberships and people (so every statement of
 * {@link MembershipRepository} and {@link SubscriberRepository} records what it changed, and only
 * that); this repository holds the one statement that deletes them, with the horizon it moves.
 */
@ApplicationScoped
public class MemberChangeRepository {

    /*
     * Retention, one batch (a data-modifying CTE): the oldest changes in feed order, of those the ones
     * older than $1, are deleted, and the horizon moves to the newest deleted position, so that a
     * reader behind it is told it missed changes. Walking the feed index from its start costs no
     * index on `at`; a change younger than $1 among the oldest (its transaction began late) waits for
     * a later pass, which is harmless.
     */
    static final String DELETE_EXPIRED = """
            with oldest as (
                select txid, id, at from member_change order by txid, id limit $2
            ), gone as (
                delete from member_change c
                 using oldest o
                 where c.txid = o.txid and c.id = o.id and o.at < $1
                returning c.txid, c.id
            ), newest as (
                select txid, id from gone order by txid desc, id desc limit 1
            ), horizon as (
                update member_change_horizon h
                   set txid = n.txid, id = n.id
                  from newest n
                 where (n.txid, n.id) > (h.txid, h.id)
            )
            select count(*) as deleted from gone""";

    /**
     * Deletes up to {@code batch} of the oldest changes recorded before {@code before}, in the caller's
     * transaction; returns how many (fewer than {@code batch}: the oldest changes left are younger).
     */
    public Uni<Integer> deleteExpired(SqlConnection connection, Instant before, int batch) {
        return connection.preparedQuery(DELETE_EXPIRED)
                .execute(Tuple.of(Rows.timestamp(before), batch))
                .map(rows -> Rows.single(rows).getLong("deleted").intValue());
    }
}
