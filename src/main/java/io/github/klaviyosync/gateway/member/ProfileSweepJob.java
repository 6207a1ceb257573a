package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Every tick, this instance claims the accounts whose profile sweep is due and sweeps them. */
@ApplicationScoped
public class ProfileSweepJob {

    private final ProfileSweepDispatcher dispatcher;
    private final LeaseOwner owner;

    ProfileSweepJob(ProfileSweepDispatcher dispatcher, LeaseOwner owner) {
        this.dispatcher = dispatcher;
        this.owner = owner;
    }

    @Scheduled(identity = "profile-sweep", every = "${gateway.sync.tick}", delayed = "${gateway.sync.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return dispatcher.tick(owner.id()).replaceWithVoid();
    }
}
