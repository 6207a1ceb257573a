package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.member.Consent;
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
            select r from SyncRun r
             where r.id in (select (select s.id from SyncRun s where s.listId = l.id
                                     order by s.startedAt desc, s.id desc limit 1)
                              from KlaviyoList l where l.accountId = :account)""";

    /**
     * Members on each list of an account (removed excluded) whose SMS consent is SUBSCRIBED, in one
     * grouped query; the memberships are reached per list through their primary key.
     */
    private static final String SMS_SUBSCRIBED_PER_LIST = "select new " + ListCount.class.getName() + """
            (m.listId, count(m))
              from ListMembership m join Subscriber s on s.id = m.subscriberId
             where m.listId in (select l.id from KlaviyoList l where l.accountId = :account)
               and m.removedAt is null
               and s.smsConsent = :consent
             group by m.listId""";

    /** A count per list. */
    public record ListCount(long listId, long count) {
    }

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
                .chain(session -> session.createSelectionQuery(LATEST_RUN_PER_LIST, SyncRun.class)
                        .setParameter("account", accountId)
                        .getResultList())
                .map(runs -> runs.stream().collect(Collectors.toMap(run -> run.listId, Function.identity())));
    }

    private Uni<Map<Long, Long>> smsSubscribed(UUID accountId) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(SMS_SUBSCRIBED_PER_LIST, ListCount.class)
                        .setParameter("account", accountId)
                        .setParameter("consent", Consent.SUBSCRIBED)
                        .getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(ListCount::listId, ListCount::count)));
    }
}
