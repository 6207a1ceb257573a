package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaGrant;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLease;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLimits;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One holder's local slice of one account's budget of one tier: the permits in hand, the calls
 * waiting for one (most urgent first, then first come), and what the last lease and Klaviyo's
 * answers said. A permit may be reserved ahead of the pace: it matures when the window's even pace
 * (less the priority's lead) reaches its place in the window, so permits of every holder are spent
 * spread through the window, and a holder asks again only when its reservation runs out. It
 * decides; {@link QuotaCache} carries the decisions out ({@link Effects}) outside its lock. Times are
 * the local clock's milliseconds; the database's are converted with the offset measured at each
 * lease, except the two that bound spending: the window's end and a pause's (see
 * {@link #granted}). Thread-safe.
 */
final class QuotaSlice {

    /** What to do after a decision: release or fail waiters, lease, wake up later, pause every instance. */
    static final class Effects {
        final List<QuotaWaiter> released = new ArrayList<>();
        final List<QuotaWaiter> failed = new ArrayList<>();
        Throwable failure;
        QuotaLease lease;
        long wakeAfter = -1;
        long pauseMillis = -1;
        boolean throttled;
        boolean windowSpent;
    }

    private final String budgetKey;
    private final RateTier tier;
    private final QuotaSettings settings;
    private final PriorityQueue<QuotaWaiter> waiters = new PriorityQueue<>();

    /** Database clock minus local clock, measured at the last lease. */
    private long offset;
    /** The window of the last lease (database epoch ms; -1 before any) and what it said of it. */
    private long windowStart = -1;
    private int windowUsed;
    /** When each permit in hand matures (local ms), earliest first. */
    private final PriorityQueue<Long> permits = new PriorityQueue<>();
    private long validUntil;
    private CallPriority leasedFor = CallPriority.BULK;
    private int unused;
    private long unusedWindow;
    private long pausedUntil;
    private long retryAt;
    private boolean leasing;
    /** When the earliest wake-up already asked for fires (MAX_VALUE: none). */
    private long wakeTime = Long.MAX_VALUE;
    /** Klaviyo's announced steady limit ({@code RateLimit-Limit}), -1 until an answer carries it. */
    private int announcedLimit = -1;
    private Integer ceilingProposal;
    private long proposalWindow;
    private final AtomicLong leasesSent = new AtomicLong();
    private long sequence;
    private long lastUsed;
    private long periodStart;
    private int spentThisPeriod;
    private int spentLastPeriod;

    QuotaSlice(String budgetKey, RateTier tier, QuotaSettings settings, long now) {
        this.budgetKey = budgetKey;
        this.tier = tier;
        this.settings = settings;
        this.lastUsed = now;
        this.periodStart = now;
    }

    String budgetKey() {
        return budgetKey;
    }

    /** Counts a lease sent to the shared budget for this slice. */
    void leaseSent() {
        leasesSent.incrementAndGet();
    }

    long leasesSent() {
        return leasesSent.get();
    }

    RateTier tier() {
        return tier;
    }

    /** A call asks for a permit: released at once when one is in hand and nobody waits before it. */
    synchronized Effects acquire(QuotaWaiter waiter, long now) {
        lastUsed = now;
        expire(now);
        waiter.sequence = sequence++;
        waiters.add(waiter);
        return plan(now);
    }

    /** The waiter gave up (its subscriber cancelled): it takes no permit. */
    synchronized void cancel(QuotaWaiter waiter) {
        waiters.remove(waiter);
    }

    synchronized Effects wake(long now) {
        if (now >= wakeTime) {
            wakeTime = Long.MAX_VALUE;
        }
        expire(now);
        return plan(now);
    }

    /**
     * A lease sent at {@code sentAt} came back at {@code now}. The database read its clock somewhere
     * between the two, and an answer can wait long on either leg (a lease queued for a connection or
     * the budget row's lock; a busy event loop): the midpoint is only a guess. It places permits in
     * the window's pace, where an error moves a permit within its window. The window's end is counted
     * from the sending and a pause's from the answer, the earliest and the latest they can be here:
     * no permit outlives its window's guard and no call goes before a pause ends, however late the answer.
     */
    synchronized Effects granted(QuotaLease lease, QuotaGrant grant, long sentAt, long now) {
        leasing = false;
        offset = grant.dbNow() - (sentAt + now) / 2;
        if (grant.windowStart() != windowStart) {
            // Permits still held from the window before lapse with it.
            permits.clear();
        }
        windowStart = grant.windowStart();
        windowUsed = grant.windowUsed();
        if (grant.pausedUntil() > grant.dbNow()) {
            pausedUntil = Math.max(pausedUntil, pauseEnd(grant, now));
        }
        long windowEnd = sentAt + (windowStart + settings.windowMillis() - grant.dbNow());
        QuotaLimits limits = lease.limits();
        int first = grant.windowUsed() - grant.granted();
        for (int index = first + 1; index <= grant.windowUsed(); index++) {
            // The pace reaches the index-th permit of the window this far in; the lead lets it go sooner.
            long pace = (long) Math.ceil((double) index * (limits.windowMillis() - limits.guardMillis()) / grant.windowCap());
            permits.add(windowStart + Math.max(0, pace - limits.leadMillis()) - offset);
        }
        validUntil = Math.min(now + settings.sliceTtlMillis(), windowEnd - settings.guardMillis());
        retryAt = grant.granted() >= lease.want() ? 0 : nextChance(lease, grant, now);
        return plan(now);
    }

    /** The budget could not be reached: the calls waiting now fail (as Klaviyo being unavailable would). */
    synchronized Effects leaseFailed(Throwable failure) {
        leasing = false;
        Effects effects = new Effects();
        effects.failure = failure;
        effects.failed.addAll(waiters);
        waiters.clear();
        return effects;
    }

    /**
     * Klaviyo's {@code RateLimit-*} headers: its announced limit lowers the budget; nothing remaining
     * pauses every instance until the window resets; otherwise, when Klaviyo's window is ours, the
     * merchant's other tools' pace so far is projected to the window's end and the gateway's ceiling
     * for the window leaves them that, and {@code headroom} more.
     */
    synchronized Effects observe(int limit, int remaining, int resetSeconds, long now) {
        Effects effects = new Effects();
        if (limit > 0) {
            announcedLimit = limit;
        }
        if (remaining == 0 && resetSeconds > 0) {
            pausedUntil = Math.max(pausedUntil, now + resetSeconds * 1_000L);
            effects.pauseMillis = resetSeconds * 1_000L;
            return effects;
        }
        long dbNow = now + offset;
        long windowEnd = windowStart + settings.windowMillis();
        if (windowStart < 0 || dbNow >= windowEnd || dbNow < windowStart || remaining < 0) {
            return effects;
        }
        long elapsed = dbNow - windowStart;
        long left = windowEnd - dbNow;
        if (limit <= 0 || !aligned(resetSeconds, left) || elapsed < settings.windowMillis() / 10) {
            return effects;
        }
        // What the gateway has sent in the window: leased, less what this holder holds unspent (other
        // holders' unspent reservations, a few seconds' worth, are what the headroom covers).
        double sent = Math.max(0, windowUsed - permits.size());
        double othersSoFar = Math.max(0, (limit - remaining) - sent);
        double othersLeft = othersSoFar * left / elapsed;
        double room = sent + remaining - settings.headroom() * limit - othersLeft;
        ceilingProposal = (int) Math.max(0, Math.floor(room));
        proposalWindow = windowStart;
        return effects;
    }

    /** A 429: this holder stops at once; the pause and, when Klaviyo's window was spent, the window's end go to every instance. */
    synchronized Effects throttled(long pauseMillis, boolean windowSpent, long now) {
        pausedUntil = Math.max(pausedUntil, now + pauseMillis);
        Effects effects = new Effects();
        effects.pauseMillis = pauseMillis;
        effects.throttled = true;
        effects.windowSpent = windowSpent;
        return effects;
    }

    /** How long a call would wait now for a permit, as this holder knows; counts nothing. */
    synchronized long millisUntilFree(long now) {
        long blocked = Math.max(pausedUntil, held(now) ? permits.peek() : retryAt);
        return Math.max(0, blocked - now);
    }

    synchronized boolean idleSince(long now, long idleMillis) {
        return waiters.isEmpty() && !leasing && now - lastUsed >= idleMillis && now >= pausedUntil;
    }

    /**
     * The instance stops: the permits in hand go back to the shared budget now, with those that
     * lapsed here earlier in the window, for the other instances to spend in it. Null when there is
     * nothing to give back, or a lease is on its way (what it brings lapses here, as before).
     */
    synchronized QuotaLease giveBack(long now) {
        if (leasing) {
            return null;
        }
        validUntil = now; // the permits in hand lapse now: expire() counts them as unused
        expire(now);
        if (unused == 0) {
            return null;
        }
        QuotaLease lease = new QuotaLease(budgetKey, tier, 0, unused, unusedWindow, ceilingProposal, proposalWindow,
                limits(leasedFor));
        unused = 0;
        ceilingProposal = null;
        return lease;
    }

    /** The limits a lease of {@code priority} carries: the share of the tier, or of Klaviyo's announced limit when lower. */
    synchronized QuotaLimits limits(CallPriority priority) {
        return settings.limits(tier, announcedLimit, priority);
    }

    /** Serves what the permits in hand allow, then leases or waits for the next chance. */
    private Effects plan(long now) {
        Effects effects = new Effects();
        while (!waiters.isEmpty() && spendable(now)) {
            spend(now);
            effects.released.add(waiters.poll());
        }
        if (waiters.isEmpty() || leasing) {
            return effects;
        }
        boolean urgent = waiters.peek().priority.compareTo(leasedFor) < 0;
        if (held(now) && !urgent) {
            // Reserved permits mature (or a pause ends) before a new lease could do better.
            return wakeAt(Math.max(pausedUntil, permits.peek()), now, effects);
        }
        // The budget's next chance was reckoned for the last lease's priority; a more urgent call asks now.
        long notBefore = Math.max(pausedUntil, held(now) || urgent ? 0 : retryAt);
        if (now < notBefore) {
            return wakeAt(notBefore, now, effects);
        }
        leasing = true;
        effects.lease = lease(now);
        return effects;
    }

    private Effects wakeAt(long at, long now, Effects effects) {
        if (at < wakeTime) {
            wakeTime = at;
            effects.wakeAfter = Math.max(0, at - now);
        }
        return effects;
    }

    private QuotaLease lease(long now) {
        CallPriority top = waiters.peek().priority;
        // With permits reserved, only the calls more urgent than they were reserved for need more.
        int want = held(now) ? (int) waiters.stream().filter(waiter -> waiter.priority.compareTo(leasedFor) < 0).count()
                : waiters.size() + prefetch(now);
        leasedFor = top;
        QuotaLease lease = new QuotaLease(budgetKey, tier, want, unused, unusedWindow, ceilingProposal, proposalWindow,
                limits(top));
        unused = 0;
        ceilingProposal = null;
        return lease;
    }

    private boolean spendable(long now) {
        return held(now) && permits.peek() <= now && now >= pausedUntil;
    }

    /** Permits in hand that are still valid (mature or not). */
    private boolean held(long now) {
        return !permits.isEmpty() && now < validUntil;
    }

    private void spend(long now) {
        permits.poll();
        rollPeriod(now);
        spentThisPeriod++;
    }

    /** What this holder spent in the last slice's time, as a guess of what it will need in the next. */
    private int prefetch(long now) {
        rollPeriod(now);
        int most = (int) Math.ceil((double) settings.limits(tier, announcedLimit, CallPriority.BULK).perWindow()
                * settings.sliceTtlMillis() / settings.windowMillis());
        return Math.min(most, Math.max(spentLastPeriod, spentThisPeriod));
    }

    private void rollPeriod(long now) {
        long ttl = settings.sliceTtlMillis();
        if (now - periodStart >= 2 * ttl) {
            spentLastPeriod = 0;
            spentThisPeriod = 0;
            periodStart = now;
        } else if (now - periodStart >= ttl) {
            spentLastPeriod = spentThisPeriod;
            spentThisPeriod = 0;
            periodStart += ttl;
        }
    }

    /** Permits past their time go back with the next lease while their window lasts; after it, they lapse. */
    private void expire(long now) {
        long windowEnd = windowStart + settings.windowMillis() - offset;
        if (!permits.isEmpty() && now >= validUntil) {
            if (now < windowEnd) {
                unused = (unusedWindow == windowStart ? unused : 0) + permits.size();
                unusedWindow = windowStart;
            }
            permits.clear();
        }
        if (unused > 0 && now + offset >= unusedWindow + settings.windowMillis()) {
            unused = 0;
        }
    }

    /**
     * When a lease could get more: after a pause, at the next burst window when that one is spent,
     * and when the priority's reach into the window (its lead, and the reservation horizon) has made
     * room for a batch (half a slice's worth, so that starved holders do not ask for one permit at a
     * time); in the next window when this one has no more.
     */
    private long nextChance(QuotaLease lease, QuotaGrant grant, long now) {
        QuotaLimits limits = lease.limits();
        long window = limits.windowMillis();
        long windowEnd = grant.windowStart() + window;
        if (grant.pausedUntil() > grant.dbNow()) {
            return pauseEnd(grant, now);
        }
        int cap = grant.windowCap();
        int batch = (int) Math.max(1, Math.min(lease.want() - grant.granted(),
                (long) cap * settings.sliceTtlMillis() / window / 2));
        long at;
        if (grant.windowUsed() + batch > cap) {
            at = windowEnd;
        } else {
            long pace = (long) Math.ceil((double) (grant.windowUsed() + batch) * (window - limits.guardMillis()) / cap);
            at = grant.windowStart() + Math.max(0, pace - limits.leadMillis() - limits.horizonMillis());
            if (at >= windowEnd - limits.guardMillis()) {
                at = windowEnd;
            }
        }
        if (grant.burstUsed() >= limits.perBurst()) {
            at = Math.max(at, grant.burstStart() + limits.burstMillis());
        }
        long local = at - offset;
        return grant.granted() == 0 && local <= now ? now + Math.max(1, limits.burstMillis() / 10) : local;
    }

    /**
     * The local time a pause the database names ends: what was left of it when the database read its
     * clock, counted from the answer.
     */
    private static long pauseEnd(QuotaGrant grant, long answeredAt) {
        return answeredAt + (grant.pausedUntil() - grant.dbNow());
    }

    /** Whether Klaviyo's steady window ends when ours does ({@code RateLimit-Reset} is in whole seconds, rounded up). */
    private boolean aligned(int resetSeconds, long leftMillis) {
        long reset = resetSeconds * 1_000L;
        long tolerance = settings.guardMillis() + 100;
        return resetSeconds > 0 && reset + tolerance >= leftMillis && reset < leftMillis + 1_000 + tolerance;
    }
}
