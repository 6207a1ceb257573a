package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.list.ListLeases;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Claims due lists for an owner and syncs them side by side, each in its own session, within the
 * instance's concurrency bound; renews the owner's leases while syncs run. A tick returns once it
 * has claimed: the syncs go on in the background and free their slots as they end.
 */
@ApplicationScoped
public class MemberSyncScheduler {

    private static final Logger LOG = Logger.getLogger(MemberSyncScheduler.class);

    private final ListLeases leases;
    private final MemberSyncService syncs;
    private final SessionScopes scopes;
    private final GatewayConfig.Sync config;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    MemberSyncScheduler(ListLeases leases, MemberSyncService syncs, SessionScopes scopes, GatewayConfig config) {
        this.leases = leases;
        this.syncs = syncs;
        this.scopes = scopes;
        this.config = config.sync();
    }

    /** Renews the owner's leases, then claims as many due lists as it has free slots and starts them. */
    public Uni<Integer> tick(String owner) {
        AtomicInteger running = inFlight.computeIfAbsent(owner, ignored -> new AtomicInteger());
        return renewLeases(owner, running)
                .chain(() -> claim(owner, config.maxConcurrentLists() - running.get()))
                .invoke(claimed -> claimed.forEach(lease -> start(lease, running)))
                .map(List::size);
    }

    /** Syncs currently running for the owner on this instance. */
    public int running(String owner) {
        AtomicInteger running = inFlight.get(owner);
        return running == null ? 0 : running.get();
    }

    private Uni<Void> renewLeases(String owner, AtomicInteger running) {
        if (running.get() == 0) {
            return Uni.createFrom().voidItem();
        }
        return leases.renew(owner, config.leaseDuration()).replaceWithVoid();
    }

    private Uni<List<ListLease>> claim(String owner, int freeSlots) {
        if (freeSlots <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return leases.claim(owner, freeSlots, config.maxConcurrentListsPerAccount(), config.leaseDuration());
    }

    private void start(ListLease lease, AtomicInteger running) {
        running.incrementAndGet();
        scopes.isolated(() -> syncs.sync(lease))
                .onTermination().invoke(running::decrementAndGet)
                .subscribe().with(
                        outcome -> LOG.debugf("list %s synced: %s", lease.klaviyoListId(), outcome),
                        failure -> LOG.errorf(failure, "sync of list %s ended abnormally", lease.klaviyoListId()));
    }
}
