package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.syncrun.SyncRun;
import io.github.klaviyosync.gateway.syncrun.SyncRunRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** An account's sync runs, newest first, with Klaviyo's id of each run's list. */
@ApplicationScoped
@WithSession
public class RunQueries {

    private final SyncRunRepository runs;
    private final ListRepository lists;
    private final Scope scope;

    RunQueries(SyncRunRepository runs, ListRepository lists, Scope scope) {
        this.runs = runs;
        this.lists = lists;
        this.scope = scope;
    }

    /** A run and Klaviyo's id of its list (null for discovery). */
    public record RunWithListId(SyncRun run, String klaviyoListId) {
    }

    /** The newest runs of the account, or of one of its lists when {@code klaviyoListId} is given. */
    public Uni<List<RunWithListId>> runs(UUID accountId, String klaviyoListId, int limit) {
        if (klaviyoListId != null) {
            return scope.list(accountId, klaviyoListId)
                    .chain(list -> runs.recentForList(accountId, list.id, limit))
                    .map(found -> found.stream().map(run -> new RunWithListId(run, klaviyoListId)).toList());
        }
        return scope.account(accountId)
                .chain(account -> runs.recentForAccount(accountId, limit))
                .chain(found -> lists.listByIds(listIdsOf(found))
                        .map(runLists -> withListIds(found, runLists)));
    }

    private static Set<Long> listIdsOf(List<SyncRun> found) {
        return found.stream()
                .map(run -> run.listId)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    private static List<RunWithListId> withListIds(List<SyncRun> found, List<KlaviyoList> runLists) {
        Map<Long, String> klaviyoIds = runLists.stream()
                .collect(Collectors.toMap(list -> list.id, list -> list.klaviyoListId));
        return found.stream()
                .map(run -> new RunWithListId(run, run.listId == null ? null : klaviyoIds.get(run.listId)))
                .toList();
    }
}
