package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Every tick, claims the accounts whose discovery is due (nightly on the cron, at once after a
 * connect or a "discover now") or whose list check is due (every list-check interval) and discovers
 * or checks their lists, each in its own session.
 */
@ApplicationScoped
public class ListDiscoveryJob {

    private final ListDiscoveryService discovery;
    private final SessionScopes scopes;
    private final LeaseOwner owner;
    private final GatewayConfig.Sync config;

    ListDiscoveryJob(ListDiscoveryService discovery, SessionScopes scopes, LeaseOwner owner,
            GatewayConfig config) {
        this.discovery = discovery;
        this.scopes = scopes;
        this.owner = owner;
        this.config = config.sync();
    }

    @Scheduled(identity = "list-discovery", every = "${gateway.sync.tick}", delayed = "${gateway.sync.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return discovery.claim(owner.id(), config.discoveriesPerTick(), config.discoveryLeaseDuration())
                .chain(this::discoverAll);
    }

    private Uni<Void> discoverAll(List<DiscoveryLease> leases) {
        if (leases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> discoveries = leases.stream()
                .map(lease -> scopes.isolated(() -> discovery.discover(lease)))
                .toList();
        return Uni.join().all(discoveries).andCollectFailures().replaceWithVoid();
    }
}
