package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.handover.HandoverStep;
import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Every tick, this instance claims the lists that are due and syncs them; on shutdown it hands them over. */
@ApplicationScoped
public class MemberSyncJob implements HandoverStep {

    private static final Logger LOG = Logger.getLogger(MemberSyncJob.class);

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

    @Override
    public Uni<Void> handOver(Duration wait) {
        return dispatcher.handOver(owner.id(), wait)
                .invoke(released -> LOG.infof("member syncs handed over: %d list leases released", released))
                .onFailure().invoke(failure -> LOG.warnf("releasing the list leases failed: %s; they expire instead",
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
