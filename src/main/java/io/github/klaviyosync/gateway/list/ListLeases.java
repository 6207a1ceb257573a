package io.github.klaviyosync.gateway.list;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Leases on lists in Postgres, so that several gateway instances on one database never sync one
 * list at once, never skip one, and take over a list whose instance died once its lease expires.
 * A lease is renewed while its sync runs ({@link #renew}) and released when it ends. Each call is
 * its own transaction.
 */
@ApplicationScoped
public class ListLeases {

    private final ListRepository lists;
    private final Pool pool;

    ListLeases(ListRepository lists, Pool pool) {
        this.lists = lists;
        this.pool = pool;
    }

    public Uni<List<ListLease>> claim(String owner, int limit, int perAccount, Duration lease) {
        return pool.withTransaction(connection -> lists.claim(connection, owner, limit, perAccount, lease));
    }

    /** Extends the leases of these claims (those still held); returns how many were extended. */
    public Uni<Integer> renew(Collection<UUID> tokens, Duration lease) {
        return tokens.isEmpty()
                ? Uni.createFrom().item(0)
                : pool.withTransaction(connection -> lists.renew(connection, tokens, lease));
    }

    /**
     * The sync ended well: the list is up to date as of now and due again one interval after
     * {@code startedAt}. False when the claim was no longer this sync's: nothing was written then.
     */
    public Uni<Boolean> complete(ListLease lease, Instant startedAt, Duration interval, boolean didFull) {
        return pool.withTransaction(connection -> complete(connection, lease, startedAt, interval, didFull));
    }

    /** As {@link #complete(ListLease, Instant, Duration, boolean)}, in the caller's transaction. */
    public Uni<Boolean> complete(SqlConnection connection, ListLease lease, Instant startedAt, Duration interval,
            boolean didFull) {
        return lists.complete(connection, lease, startedAt, interval, didFull);
    }

    /** The sync failed: the list keeps its cursors (the next sync resumes there) and is retried after {@code retry}. */
    public Uni<Void> releaseFailed(ListLease lease, Duration retry) {
        return pool.withTransaction(connection -> lists.releaseFailed(connection, lease, retry))
                .replaceWithVoid();
    }

    /**
     * The owner hands over: every lease it still holds is released, cursors kept, so the lists are
     * claimed by another instance at its next tick. Returns how many were released.
     */
    public Uni<Integer> releaseOwned(String owner) {
        return pool.withTransaction(connection -> lists.releaseOwned(connection, owner));
    }

    /**
     * Claims that waited too long in this instance's queue are given back unstarted, cursors and due
     * time kept, for any instance to claim. Returns how many were released.
     */
    public Uni<Integer> releaseQueued(Collection<UUID> tokens) {
        return tokens.isEmpty()
                ? Uni.createFrom().item(0)
                : pool.withTransaction(connection -> lists.releaseQueued(connection, tokens));
    }

    /** Klaviyo no longer has the list (404): it is kept, marked deleted, and no longer synced. */
    public Uni<Void> markDeleted(ListLease lease) {
        return Panache.withTransaction(() -> lists.markDeleted(lease))
                .replaceWithVoid();
    }
}
