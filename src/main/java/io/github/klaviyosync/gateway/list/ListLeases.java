package io.github.klaviyosync.gateway.list;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

    /** Extends every lease the owner holds; returns how many it still holds. */
    public Uni<Integer> renew(String owner, Duration lease) {
        return pool.withTransaction(connection -> lists.renew(connection, owner, lease));
    }

    /** The sync ended well: the list is up to date as of now and due again one interval after {@code startedAt}. */
    public Uni<Boolean> complete(ListLease lease, Instant startedAt, Duration interval, boolean didFull) {
        return pool.withTransaction(connection -> lists.complete(connection, lease, startedAt, interval, didFull));
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

    /** Klaviyo no longer has the list (404): it is kept, marked deleted, and no longer synced. */
    public Uni<Void> markDeleted(ListLease lease) {
        return Panache.withTransaction(() -> lists.markDeleted(lease.listId()))
                .replaceWithVoid();
    }
}
