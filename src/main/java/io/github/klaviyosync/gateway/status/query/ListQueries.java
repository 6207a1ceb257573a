package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.syncrun.SyncRun;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An account's lists, each with its newest run and how many of its members take SMS. */
@ApplicationScoped
@WithSession
public class ListQueries {

    /** The newest run of each list of an account, one index probe per list. */
    private static final String LATEST_RUN_PER_LIST = """
            select r.*
              from klaviyo_list l
             cross join lateral (select s.* from sync_run s
                                  where s.list_id = l.id
                                  order by s.started_at desc, s.id desc
                                  limit 1) r
             where l.account_id = :account""";

    /**
     * Members on each list of an account (removed excluded) whose SMS consent is SUBSCRIBED, in one
     * grouped query; the memberships are reached per list through their primary key.
     */
    private static final String SMS_SUBSCRIBED_PER_LIST = """
            select m.list_id, count(*)
              from list_membership m
              join subscriber s on s.id = m.subscriber_id
             where m.list_id in (select l.id from klaviyo_list l where l.account_id = :account)
               and m.removed_at is null
               and s.sms_consent = 'SUBSCRIBED'
             group by m.list_id""";

    private final ListRepository lists;
    private final Scope scope;

    ListQueries(ListRepository lists, Scope scope) {
        this.lists = lists;
        this.scope = scope;
    }

    /** A list with its newest run (or none) and its members subscribed to SMS. */
    public record ListWithLastRun(KlaviyoList list, SyncRun lastRun, long smsSubscribedCount) {
    }

    public Uni<List<ListWithLastRun>> lists(UUID accountId) {
        return scope.account(accountId)
                .chain(account -> lists.listByAccount(accountId))
                .chain(accountLists -> latestRuns(accountId)
                        .chain(latest -> smsSubscribed(accountId)
                                .map(subscribed -> accountLists.stream()
                                        .map(list -> new ListWithLastRun(list, latest.get(list.id),
                                                subscribed.getOrDefault(list.id, 0L)))
                                        .toList())));
    }

    private Uni<Map<Long, SyncRun>> latestRuns(UUID accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(LATEST_RUN_PER_LIST, SyncRun.class)
                        .setParameter("account", accountId)
                        .getResultList())
                .map(runs -> runs.stream().collect(Collectors.toMap(run -> run.listId, Function.identity())));
    }

    private Uni<Map<Long, Long>> smsSubscribed(UUID accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(SMS_SUBSCRIBED_PER_LIST, Object[].class)
                        .setParameter("account", accountId)
                        .getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(
                        row -> ((Number) row[0]).longValue(), row -> ((Number) row[1]).longValue())));
    }
}
