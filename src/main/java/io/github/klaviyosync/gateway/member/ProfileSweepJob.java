package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.handover.HandoverStep;
import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Every tick, this instance claims the accounts whose profile sweep is due and sweeps them; on shutdown it hands them over. */
@ApplicationScoped
public class ProfileSweepJob implements HandoverStep {

    private static final Logger LOG = Logger.getLogger(ProfileSweepJob.class);

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

    @Override
    public Uni<Void> handOver(Duration wait) {
        return dispatcher.handOver(owner.id(), wait)
                .invoke(released -> LOG.infof("profile sweeps handed over: %d released", released))
                .onFailure().invoke(failure -> LOG.warnf("releasing the profile sweeps failed: %s; they expire instead",
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
