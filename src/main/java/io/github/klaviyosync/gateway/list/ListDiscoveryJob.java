package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.handover.HandingOver;
import io.github.klaviyosync.gateway.handover.HandoverStep;
import io.github.klaviyosync.gateway.handover.InFlight;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every tick, claims the accounts whose discovery is due (nightly on the cron, at once after a
 * connect or a "discover now") or whose list check is due (every list-check interval) and discovers
 * or checks their lists, each in its own session. On shutdown it claims no more, lets the running
 * discoveries stop after their current page and releases their leases.
 */
@ApplicationScoped
public class ListDiscoveryJob implements HandoverStep {

    private static final Logger LOG = Logger.getLogger(ListDiscoveryJob.class);

    private final ListDiscoveryService discovery;
    private final SessionScopes scopes;
    private final LeaseOwner owner;
    private final HandingOver handingOver;
    private final GatewayConfig.Sync config;
    private final InFlight ticks = new InFlight();

    ListDiscoveryJob(ListDiscoveryService discovery, SessionScopes scopes, LeaseOwner owner, HandingOver handingOver,
            GatewayConfig config) {
        this.discovery = discovery;
        this.scopes = scopes;
        this.owner = owner;
        this.handingOver = handingOver;
        this.config = config.sync();
    }

    @Scheduled(identity = "list-discovery", every = "${gateway.sync.tick}", delayed = "${gateway.sync.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (handingOver.isHandingOver(owner.id())) {
            return Uni.createFrom().voidItem();
        }
        return ticks.track(() -> discovery.claim(owner.id(), config.discoveriesPerTick(), config.discoveryLeaseDuration())
                .chain(this::discoverAll));
    }

    @Override
    public Uni<Void> handOver(Duration wait) {
        handingOver.begin(owner.id());
        return ticks.idle(wait)
                .chain(() -> discovery.releaseOwned(owner.id()))
                .invoke(released -> LOG.infof("discoveries handed over: %d leases released", released))
                .onFailure().invoke(failure -> LOG.warnf("releasing the discovery leases failed: %s; they expire instead",
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> discoverAll(List<DiscoveryLease> leases) {
        if (leases.isEmpty() || handingOver.isHandingOver(owner.id())) {
            return Uni.createFrom().voidItem(); // a handover that began meanwhile releases these leases
        }
        List<Uni<Void>> discoveries = leases.stream()
                .map(lease -> scopes.isolated(() -> discovery.discover(lease)))
                .toList();
        return Uni.join().all(discoveries).andCollectFailures().replaceWithVoid();
    }
}
