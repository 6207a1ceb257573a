package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Every tick, this instance claims the lists that are due and syncs them. */
@ApplicationScoped
public class MemberSyncJob {

    private final ListSyncDispatcher dispatcher;
    private final LeaseOwner owner;

    MemberSyncJob(ListSyncDispatcher dispatcher, LeaseOwner owner) {
        this.dispatcher = dispatcher;
        this.owner = owner;
    }

    @Scheduled(identity = "member-sync", every = "${gateway.sync.tick}", delayed = "${gateway.sync.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return dispatcher.tick(owner.id()).replaceWithVoid();
    }
}
