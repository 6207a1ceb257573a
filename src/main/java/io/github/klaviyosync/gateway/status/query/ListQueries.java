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

/** An account's lists, each with its newest run. */
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

    private final ListRepository lists;
    private final Scope scope;

    ListQueries(ListRepository lists, Scope scope) {
        this.lists = lists;
        this.scope = scope;
    }

    /** A list with its newest run, or none. */
    public record ListWithLastRun(KlaviyoList list, SyncRun lastRun) {
    }

    public Uni<List<ListWithLastRun>> lists(UUID accountId) {
        return scope.account(accountId)
                .chain(account -> lists.listByAccount(accountId))
                .chain(accountLists -> latestRuns(accountId)
                        .map(latest -> accountLists.stream()
                                .map(list -> new ListWithLastRun(list, latest.get(list.id)))
                                .toList()));
    }

    private Uni<Map<Long, SyncRun>> latestRuns(UUID accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(LATEST_RUN_PER_LIST, SyncRun.class)
                        .setParameter("account", accountId)
                        .getResultList())
                .map(runs -> runs.stream().collect(Collectors.toMap(run -> run.listId, Function.identity())));
    }
}
