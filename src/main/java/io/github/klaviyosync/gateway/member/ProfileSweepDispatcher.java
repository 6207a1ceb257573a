package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The claim-and-dispatch loop of profile sweeps: renews the sweeps an owner runs, claims a few due
 * ones ({@code gateway.sync.sweeps-per-tick} a tick, up to {@code gateway.sync.max-concurrent-sweeps}
 * at once) and runs each on a session of its own in the background; a tick returns once it has
 * claimed. Sweeps rank below member syncs: while those take every slot of the owner
 * ({@link ListSyncDispatcher#busy}), at most one sweep runs, so consent still moves, slowly.
 */
@ApplicationScoped
public class ProfileSweepDispatcher {

    private static final Logger LOG = Logger.getLogger(ProfileSweepDispatcher.class);

    private final ProfileSweepService sweeps;
    private final ListSyncDispatcher memberSyncs;
    private final SessionScopes scopes;
    private final GatewayConfig.Sync config;
    private final ConcurrentHashMap<String, OwnerSweeps> owners = new ConcurrentHashMap<>();

    ProfileSweepDispatcher(ProfileSweepService sweeps, ListSyncDispatcher memberSyncs, SessionScopes scopes,
            GatewayConfig config) {
        this.sweeps = sweeps;
        this.memberSyncs = memberSyncs;
        this.scopes = scopes;
        this.config = config.sync();
    }

    /** Renews the owner's sweeps, then claims as many due ones as this tick allows and starts them; answers how many. */
    public Uni<Integer> tick(String owner) {
        OwnerSweeps sweepsOfOwner = owners.computeIfAbsent(owner, ignored -> new OwnerSweeps());
        if (!sweepsOfOwner.claiming.compareAndSet(false, true)) {
            return Uni.createFrom().item(0);
        }
        Uni<Integer> renewed = sweepsOfOwner.running.get() == 0
                ? Uni.createFrom().item(0)
                : sweeps.renew(owner, config.leaseDuration());
        return renewed
                .chain(() -> claim(owner, sweepsOfOwner))
                .onTermination().invoke(() -> sweepsOfOwner.claiming.set(false));
    }

    /** Sweeps currently running for the owner on this instance. */
    public int running(String owner) {
        OwnerSweeps sweepsOfOwner = owners.get(owner);
        return sweepsOfOwner == null ? 0 : sweepsOfOwner.running.get();
    }

    /** Whether the owner neither claims nor runs a sweep on this instance now. */
    public boolean idle(String owner) {
        OwnerSweeps sweepsOfOwner = owners.get(owner);
        return sweepsOfOwner == null || !sweepsOfOwner.claiming.get() && sweepsOfOwner.running.get() == 0;
    }

    private Uni<Integer> claim(String owner, OwnerSweeps sweepsOfOwner) {
        int running = sweepsOfOwner.running.get();
        int limit = memberSyncs.busy(owner)
                ? 1 - running
                : Math.min(config.sweepsPerTick(), config.maxConcurrentSweeps() - running);
        if (limit <= 0) {
            return Uni.createFrom().item(0);
        }
        return sweeps.claim(owner, limit, config.leaseDuration())
                .invoke(claimed -> claimed.forEach(lease -> start(lease, sweepsOfOwner)))
                .map(List::size);
    }

    private void start(ProfileSweepLease lease, OwnerSweeps sweepsOfOwner) {
        sweepsOfOwner.running.incrementAndGet();
        scopes.isolated(() -> sweeps.sweep(lease))
                .onTermination().invoke(sweepsOfOwner.running::decrementAndGet)
                .subscribe().with(
                        outcome -> LOG.debugf("account %s swept: %s", lease.accountId(), outcome),
                        failure -> LOG.errorf(failure, "profile sweep of account %s ended abnormally", lease.accountId()));
    }

    /** One owner's sweeps on this instance: how many run, and whether a claim is under way. */
    private static final class OwnerSweeps {
        final AtomicInteger running = new AtomicInteger();
        final AtomicBoolean claiming = new AtomicBoolean();
    }
}
