package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.SqlParameters;
import io.github.klaviyosync.gateway.list.ListLease;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Finds members who left a list: every member id Klaviyo lists is stamped with the run, page by
 * page; when all pages are in, memberships the run did not stamp are marked removed. Memberships
 * written after the id scan began (a push, a join during the scan) are left alone.
 */
@ApplicationScoped
public class RemovedMemberMarker {

    private static final String STAMP_PAGE = """
            update list_membership m
               set seen_in_run = :run
              from subscriber s
             where m.list_id = :list
               and m.subscriber_id = s.id
               and s.account_id = :account
               and s.klaviyo_profile_id in (select jsonb_array_elements_text(cast(cast(:ids as text) as jsonb)))
            """;

    private static final String MARK_UNSTAMPED = """
            with gone as (
                update list_membership
                   set removed_at = now(), updated_at = now()
                 where list_id = :list
                   and removed_at is null
                   and seen_in_run is distinct from :run
                   and updated_at < :scanStartedAt
                returning 1
            ), recount as (
                update klaviyo_list
                   set member_count = (select count(*) from list_membership
                                        where list_id = :list and removed_at is null)
                                      - (select count(*) from gone),
                       updated_at = now()
                 where id = :list
            )
            select count(*) from gone
            """;

    private final SqlParameters parameters;

    RemovedMemberMarker(SqlParameters parameters) {
        this.parameters = parameters;
    }

    @WithTransaction
    public Uni<Void> stamp(ListLease lease, long runId, List<String> memberIds) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(STAMP_PAGE)
                        .setParameter("run", runId)
                        .setParameter("list", lease.listId())
                        .setParameter("account", lease.accountId())
                        .setParameter("ids", parameters.json(memberIds))
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Marks the memberships no page stamped as removed, sets the list's count, and returns how many left. */
    @WithTransaction
    public Uni<Integer> markUnstamped(ListLease lease, long runId, Instant scanStartedAt) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(MARK_UNSTAMPED, Long.class)
                        .setParameter("list", lease.listId())
                        .setParameter("run", runId)
                        .setParameter("scanStartedAt", scanStartedAt)
                        .getSingleResult())
                .map(Rows::intValue);
    }

}
