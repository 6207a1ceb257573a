package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.handover.HandingOver;
import io.github.klaviyosync.gateway.handover.InFlight;
import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.list.ListLeases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The claim-and-dispatch loop of member syncs: claims due lists for an owner and hands each to
 * {@link MemberSyncService} on a session of its own, side by side within the instance's concurrency
 * bound; renews the owner's leases while syncs run. A tick returns once it has claimed: the syncs go
 * on in the background. A sync that ends frees its slot: while the owner's last claim came back full
 * (lists wait), it claims again right away (once more after a claim under way, when a slot came free
 * during it), so the pace is set by the accounts' Klaviyo budgets that the syncs wait on, not by the
 * tick; a slot is not kept idle then, since with syncs as short as one Klaviyo round trip a wait of
 * 250 ms for the slots freed meanwhile cut an instance's syncs from 74 to 44 a second. While its last
 * claim came back short (nothing more due), the next one waits until {@code quiet-claim-spacing}
 * after it, for every slot freed meanwhile: each claim ranks up to a window of due lists, and one per
 * ended sync would make claims PostgreSQL's largest cost at scale (docs/SCALING.md). While claims
 * fill every free slot, each also takes up to {@code claim-ahead} lists more into a queue of the
 * owner, from which ended syncs' slots are filled; the owner claims again once the queue is down to
 * half, so a busy instance claims once per several ended syncs. A queued list that waited a whole
 * tick (behind long syncs, say) is given back for any instance to take. The tick finds lists that
 * became due while nothing ended. On a handover an owner claims nothing more, its queue is dropped,
 * its syncs stop after their current page commit, and the leases it still holds are released.
 */
@ApplicationScoped
public class ListSyncDispatcher {

    private static final Logger LOG = Logger.getLogger(ListSyncDispatcher.class);

    private final ListLeases leases;
    private final MemberSyncService syncs;
    private final SessionScopes scopes;
    private final GatewayConfig.Sync config;
    private final HandingOver handingOver;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final ConcurrentHashMap<String, OwnerSlots> owners = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    ListSyncDispatcher(ListLeases leases, MemberSyncService syncs, SessionScopes scopes, GatewayConfig config,
            HandingOver handingOver, MeterRegistry registry, Vertx vertx) {
        this.leases = leases;
        this.syncs = syncs;
        this.scopes = scopes;
        this.config = config.sync();
        this.handingOver = handingOver;
        this.registry = registry;
        this.vertx = vertx;
    }

    /**
     * Gives back the queued lists that waited a whole tick, renews the owner's other leases, then
     * claims as many due lists as it has free slots (and room in its queue while lists wait) and
     * starts them.
     */
    public Uni<Integer> tick(String owner) {
        OwnerSlots slots = slots(owner);
        return slots.work.track(() -> releaseStale(slots)
                .chain(() -> renewLeases(owner, slots))
                .chain(() -> claim(owner, slots)));
    }

    /**
     * Hands the owner's lists over: no more claims, its syncs stop after their current page commit
     * (waiting at most {@code wait} for them), then every lease it still holds is released, so another
     * instance claims those lists at its next tick. Returns how many leases were released.
     */
    public Uni<Integer> handOver(String owner, Duration wait) {
        handingOver.begin(owner);
        OwnerSlots slots = slots(owner);
        takeStale(slots, Long.MIN_VALUE); // the whole queue: released below with the owner's other leases
        return slots.work.idle(wait)
                .invoke(idle -> {
                    if (!idle) {
                        LOG.warnf("%d syncs still running after %s; releasing their leases anyway", slots.running.get(), wait);
                    }
                })
                .chain(() -> leases.releaseOwned(owner));
    }

    /** Syncs currently running for the owner on this instance. */
    public int running(String owner) {
        OwnerSlots slots = owners.get(owner);
        return slots == null ? 0 : slots.running.get();
    }

    /** The owner's ticks, claims and syncs under way on this instance (what a handover waits for). */
    public int inFlight(String owner) {
        OwnerSlots slots = owners.get(owner);
        return slots == null ? 0 : slots.work.running();
    }

    /** Claimed lists that wait in the owner's queue on this instance for a slot. */
    public int queued(String owner) {
        OwnerSlots slots = owners.get(owner);
        return slots == null ? 0 : slots.queue.size();
    }

    /**
     * Whether the owner's member syncs on this instance take every slot, or lists filled every free
     * slot at the last claim: work that ranks below member syncs (profile sweeps) holds back then.
     */
    public boolean busy(String owner) {
        OwnerSlots slots = owners.get(owner);
        return slots != null && (slots.backlog || slots.running.get() >= config.maxConcurrentLists());
    }

    /** The container stops: a deferred claim that comes due after it would find no beans. */
    @PreDestroy
    void stop() {
        stopped = true;
    }

    private OwnerSlots slots(String owner) {
        return owners.computeIfAbsent(owner, ignored -> new OwnerSlots(Counter.builder("gateway.sync.claims")
                .description("Claims of due lists (each ranks at most a window of the oldest due lists)")
                .tag("owner", owner)
                .register(registry)));
    }

    /** The queued claims older than a tick are given back unstarted. */
    private Uni<Integer> releaseStale(OwnerSlots slots) {
        return leases.releaseQueued(takeStale(slots, config.tick().toNanos()));
    }

    /** Takes out of the queue (and out of the renewed claims) those queued at least {@code ageNanos} ago. */
    private static List<UUID> takeStale(OwnerSlots slots, long ageNanos) {
        long now = System.nanoTime();
        List<UUID> stale = new ArrayList<>();
        for (Queued queued : slots.queue) {
            // remove() succeeds once: a slot taking this claim at the same moment gets it, or this does.
            if (now - queued.sinceNanos() >= ageNanos && slots.queue.remove(queued)) {
                slots.held.remove(queued.lease().token());
                stale.add(queued.lease().token());
            }
        }
        return stale;
    }

    private Uni<Void> renewLeases(String owner, OwnerSlots slots) {
        return leases.renew(List.copyOf(slots.held), config.leaseDuration()).replaceWithVoid();
    }

    /**
     * Claims for the free slots (and the queue), starts what it claimed and queues the rest; one
     * claim per owner at a time.
     */
    private Uni<Integer> claim(String owner, OwnerSlots slots) {
        if (handingOver.isHandingOver(owner)) {
            return Uni.createFrom().item(0);
        }
        startQueued(owner, slots);
        int free = freeSlots(slots);
        int wanted = free + ahead(slots);
        if (wanted <= 0) {
            return Uni.createFrom().item(0);
        }
        if (!slots.claiming.compareAndSet(false, true)) {
            slots.claimAgain = true;
            // The claim under way sees the flag when it ends, unless it ended just now: then claim here.
            if (!slots.claiming.compareAndSet(false, true)) {
                return Uni.createFrom().item(0);
            }
        }
        slots.claimAgain = false;
        slots.lastClaimNanos = System.nanoTime();
        slots.claims.increment();
        return slots.work.track(() -> leases.claim(owner, wanted, config.maxConcurrentListsPerAccount(), config.leaseDuration()))
                // Lists wait while a claim fills every free slot (or, with none free, finds any):
                // the part for the queue is taken when there, so its shortfall does not make claims quiet.
                .invoke(claimed -> slots.backlog = claimed.size() >= Math.max(1, free))
                .invoke(claimed -> claimed.forEach(lease -> startOrQueue(owner, lease, slots)))
                .map(List::size)
                .onTermination().invoke(() -> claimEnded(owner, slots));
    }

    /** A slot that came free while the claim ran is claimed for now, not at the next tick. */
    private void claimEnded(String owner, OwnerSlots slots) {
        slots.claiming.set(false);
        if (slots.claimAgain) {
            refill(owner, slots);
        }
    }

    private int freeSlots(OwnerSlots slots) {
        return Math.max(0, config.maxConcurrentLists() - slots.running.get());
    }

    /** Lists to claim for the queue: while lists wait and the queue is down to half, what fills it. */
    private int ahead(OwnerSlots slots) {
        int queued = slots.queue.size();
        int room = config.claimAhead() - queued;
        return slots.backlog && queued <= config.claimAhead() / 2 && room > 0 ? room : 0;
    }

    private void startOrQueue(String owner, ListLease lease, OwnerSlots slots) {
        if (handingOver.isHandingOver(owner)) {
            return; // claimed while the handover began: its lease is released with the others
        }
        slots.held.add(lease.token());
        if (slots.takeSlot(config.maxConcurrentLists())) {
            start(owner, lease, slots);
        } else {
            slots.queue.add(new Queued(lease, System.nanoTime()));
        }
    }

    /** Fills the free slots from the queue. */
    private void startQueued(String owner, OwnerSlots slots) {
        while (!slots.queue.isEmpty() && !handingOver.isHandingOver(owner) && slots.takeSlot(config.maxConcurrentLists())) {
            Queued next = slots.queue.poll();
            if (next == null) {
                slots.running.decrementAndGet(); // another slot took the last one
                return;
            }
            start(owner, next.lease(), slots);
        }
    }

    /** Starts the sync of a claimed list in a slot already taken. */
    private void start(String owner, ListLease lease, OwnerSlots slots) {
        slots.work.track(() -> scopes.isolated(() -> syncs.sync(lease)))
                .onTermination().invoke(() -> slots.held.remove(lease.token()))
                .onTermination().invoke(slots.running::decrementAndGet)
                .onTermination().invoke(() -> refill(owner, slots))
                .subscribe().with(
                        outcome -> LOG.debugf("list %s synced: %s", lease.klaviyoListId(), outcome),
                        failure -> LOG.errorf(failure, "sync of list %s ended abnormally", lease.klaviyoListId()));
    }

    /**
     * A slot came free: claim now if lists were waiting at the last claim or it is {@code
     * quiet-claim-spacing} old, else once it is (one deferred claim per owner at a time).
     */
    private void refill(String owner, OwnerSlots slots) {
        startQueued(owner, slots);
        if (freeSlots(slots) + ahead(slots) <= 0) {
            return; // the queue filled the slot and holds enough
        }
        long waitNanos = slots.backlog ? 0 : slots.lastClaimNanos + config.quietClaimSpacing().toNanos() - System.nanoTime();
        if (waitNanos <= 0) {
            claimNow(owner, slots);
        } else if (slots.deferred.compareAndSet(false, true)) {
            vertx.setTimer(Math.max(1, Duration.ofNanos(waitNanos).toMillis()), id -> claimDeferred(owner, slots));
        }
    }

    private void claimDeferred(String owner, OwnerSlots slots) {
        slots.deferred.set(false);
        if (!stopped) {
            claimNow(owner, slots);
        }
    }

    /** Claims on a context of its own. */
    private void claimNow(String owner, OwnerSlots slots) {
        scopes.isolated(() -> claim(owner, slots))
                .subscribe().with(
                        claimed -> LOG.tracef("refilled %d slots", claimed),
                        failure -> LOG.warnf("claiming due lists failed: %s", failure.getClass().getSimpleName()));
    }

    /** A claimed list waiting for a slot, and since when. */
    private record Queued(ListLease lease, long sinceNanos) {
    }

    /**
     * One owner's syncs on this instance: how many run, the claims they and the queue hold (renewed
     * every tick), the claimed lists waiting for a slot, whether a claim is under way, whether a slot
     * came free meanwhile, whether a claim waits for the spacing, whether lists wait and when the last
     * claim began; its ticks, claims and syncs in flight, which a handover waits for; and the count of its
     * claims.
     */
    private static final class OwnerSlots {
        final AtomicInteger running = new AtomicInteger();
        final Set<UUID> held = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedDeque<Queued> queue = new ConcurrentLinkedDeque<>();
        final AtomicBoolean claiming = new AtomicBoolean();
        final AtomicBoolean deferred = new AtomicBoolean();
        final InFlight work = new InFlight();
        final Counter claims;
        volatile boolean claimAgain;
        volatile boolean backlog;
        volatile long lastClaimNanos = System.nanoTime();

        OwnerSlots(Counter claims) {
            this.claims = claims;
        }

        /** Takes one of {@code slots} for a sync; false when every slot runs one. */
        boolean takeSlot(int slots) {
            return running.getAndUpdate(now -> now < slots ? now + 1 : now) < slots;
        }
    }
}
