package io.github.klaviyosync.gateway.syncrun;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Sync runs, newest first. */
@ApplicationScoped
@WithSession
public class SyncRunRepository implements PanacheRepository<SyncRun> {

    /** Whether a run of the list is recorded as running (it may be a crashed one: check the list's lease too). */
    public Uni<Boolean> hasRunning(long listId) {
        return count("listId = ?1 and status = ?2", listId, SyncStatus.RUNNING).map(running -> running > 0);
    }

    public Uni<List<SyncRun>> recentForAccount(UUID accountId, int limit) {
        return find("accountId = ?1 order by startedAt desc, id desc", accountId).page(0, limit).list();
    }

    public Uni<List<SyncRun>> recentForList(UUID accountId, long listId, int limit) {
        return find("accountId = ?1 and listId = ?2 order by startedAt desc, id desc", accountId, listId)
                .page(0, limit)
                .list();
    }
}
