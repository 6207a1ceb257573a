package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.handover.HandingOver;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoNotFoundException;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.list.ListLeases;
import io.github.klaviyosync.gateway.member.MembershipRepository.Committed;
import io.github.klaviyosync.gateway.member.MembershipRepository.FullScan;
import io.github.klaviyosync.gateway.syncrun.SyncFailures;
import io.github.klaviyosync.gateway.syncrun.SyncKind;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder.StartedRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Syncs one claimed list, each page committed with its checkpoint in its own transaction, every write
 * fenced by the claim: an incremental sync fetches the members who joined since the list's cursor; a
 * full sync (nightly, or asked for) walks every member with their attributes and consent, so it also
 * corrects whatever changed without anyone re-joining, and then marks those it did not see as gone.
 * Records the run and hands the list back with its next due time; a sync whose claim was taken over
 * stops without recording success.
 */
@ApplicationScoped
public class MemberSyncService {

    private static final Logger LOG = Logger.getLogger(MemberSyncService.class);

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final KlaviyoPeople people;
    private final MembershipRepository memberships;
    private final ListLeases leases;
    private final SyncRunRecorder runs;
    private final Pool pool;
    private final GatewayConfig.Sync config;
    private final MeterRegistry metrics;
    private final HandingOver handingOver;
    private final BackfillSizes backfillSizes;

    MemberSyncService(KlaviyoClient klaviyo, AccountCredentials credentials, KlaviyoPeople people,
            MembershipRepository memberships, ListLeases leases, SyncRunRecorder runs, Pool pool, GatewayConfig config,
            MeterRegistry metrics, HandingOver handingOver, BackfillSizes backfillSizes) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.people = people;
        this.memberships = memberships;
        this.leases = leases;
        this.runs = runs;
        this.pool = pool;
        this.config = config.sync();
        this.metrics = metrics;
        this.handingOver = handingOver;
        this.backfillSizes = backfillSizes;
    }

    /** What a member sync did; {@code lastCommitPages}: how many pages its latest commit held. */
    public record Outcome(int pages, int seen, int added, int removed, int lastCommitPages) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0, 0);

        Outcome plus(Committed commit) {
            return new Outcome(pages + commit.pages(), seen + commit.seen(), added + commit.added(), removed, commit.pages());
        }

        Outcome withRemoved(int count) {
            return new Outcome(pages, seen, added, count, lastCommitPages);
        }
    }

    /** Syncs the list; never fails: a failure is recorded on the run and the list is retried later. */
    public Uni<Outcome> sync(ListLease lease) {
        return runs.start(lease.accountId(), lease.listId(), SyncKind.MEMBERS, lease.trigger(), lease.full(), lease.owner())
                .chain(run -> syncAndRecord(lease, run));
    }

    private Uni<Outcome> syncAndRecord(ListLease lease, StartedRun run) {
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed())
                .withPriority(priorityOf(lease))
                .heldBy(lease.owner());
        Uni<Outcome> synced = lease.full()
                ? fullSync(lease, run, key)
                : fetchNewMembers(lease, run, key)
                        .call(() -> pool.withTransaction(connection -> complete(connection, lease, run)));
        return synced
                .call(outcome -> runs.succeed(run, outcome.removed()))
                .invoke(outcome -> countIngested(key, outcome))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Outcome> fetchNewMembers(ListLease lease, StartedRun run, KlaviyoCredentials key) {
        return commitAll(lease, run, key, null,
                klaviyo.members(key, lease.klaviyoListId(), lease.memberCursor(), lease.pageCursor()));
    }

    /**
     * Every member, from the first page (or, for a full sync cut short, from the page where it stopped,
     * with the stamp it began with), each page's memberships stamped as seen; when all pages are in,
     * the memberships not stamped, and not written since the walk began (a push, a join), left, in the
     * transaction that completes the sync: if the completion fails, nobody is marked gone and the next
     * full sync resumes the same walk.
     */
    private Uni<Outcome> fullSync(ListLease lease, StartedRun run, KlaviyoCredentials key) {
        boolean resuming = lease.fullScanRun() != null;
        FullScan scan = resuming ? new FullScan(lease.fullScanRun(), lease.fullScanStartedAt())
                : new FullScan(run.id(), run.startedAt());
        return commitAll(lease, run, key, scan,
                        klaviyo.members(key, lease.klaviyoListId(), null, resuming ? lease.pageCursor() : null))
                .chain(outcome -> pool.withTransaction(connection -> memberships.markUnstamped(connection, lease, scan)
                                .call(() -> complete(connection, lease, run)))
                        .map(outcome::withRemoved));
    }

    private Uni<Outcome> commitAll(ListLease lease, StartedRun run, KlaviyoCredentials key, FullScan scan,
            Multi<Page<MemberProfile>> pages) {
        // Pages are fetched while earlier ones commit, and committed one statement at a time and in
        // order: the pages that arrived during a commit go together in the next one (up to
        // pages-per-commit), so a backfill that Klaviyo serves faster than the database commits pays
        // the statement's fixed cost once for several pages. A page's people are read as it arrives.
        Multi<PageBatch.Fetched> fetched = pages
                .onItem().transform(page -> new PageBatch.Fetched(people.of(page.items()), page.nextUrl()));
        // A handover stops the reading at once, also while a page is awaited (a slow Klaviyo, a spent
        // budget); a commit in flight ends first, then stopIfHandingOver ends the sync.
        Uni<SyncHandedOverException> handedOver = handingOver.begun(lease.owner())
                .map(ignored -> new SyncHandedOverException(lease));
        return ArrivedBatches.handle(fetched, config.pagesPerCommit(), batch -> commit(lease, run, scan, PageBatch.of(batch)), handedOver)
                .onItem().scan(() -> Outcome.NONE, Outcome::plus)
                .invoke(outcome -> backfillSizes.onPages(lease, run, key, outcome.pages(), outcome.lastCommitPages()))
                .collect().last();
    }

    private Uni<Committed> commit(ListLease lease, StartedRun run, FullScan scan, PageBatch batch) {
        // One statement, so its own transaction: no BEGIN and COMMIT round trips around it.
        return pool.withConnection(connection -> memberships.commitPages(connection, lease, run.id(), scan, batch,
                        config.leaseDuration()))
                .invoke(() -> stopIfHandingOver(lease));
    }

    /** After a commit, never before: a handover lets the commit in flight end, then commits nothing more. */
    private void stopIfHandingOver(ListLease lease) {
        if (handingOver.isHandingOver(lease.owner())) {
            throw new SyncHandedOverException(lease);
        }
    }

    /**
     * Hands the list back in the caller's transaction; a claim taken over meanwhile fails the sync
     * instead of recording success.
     */
    private Uni<Void> complete(SqlConnection connection, ListLease lease, StartedRun run) {
        return leases.complete(connection, lease, run.startedAt(), config.memberInterval(), lease.full())
                .invoke(completed -> {
                    if (!completed) {
                        throw new LeaseLostException(lease);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Outcome> recordFailure(ListLease lease, StartedRun run, Throwable failure) {
        String reason = describe(failure);
        if (failure instanceof SyncHandedOverException) {
            LOG.infof("sync of list %s (account %s) handed over", lease.klaviyoListId(), lease.accountId());
        } else if (failure instanceof KlaviyoException || failure instanceof LeaseLostException) {
            LOG.warnf("sync of list %s (account %s) failed: %s", lease.klaviyoListId(), lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "sync of list %s (account %s) failed", lease.klaviyoListId(), lease.accountId());
        }
        Uni<Void> release = failure instanceof KlaviyoNotFoundException
                ? leases.markDeleted(lease)
                : failure instanceof LeaseLostException
                        ? Uni.createFrom().voidItem()
                        : leases.releaseFailed(lease, failure instanceof SyncHandedOverException ? Duration.ZERO : config.failureRetry());
        return release
                .call(() -> runs.fail(run, reason))
                .onFailure().invoke(secondary -> LOG.warnf("could not record the failed sync of list %s: %s",
                        lease.klaviyoListId(), secondary.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWith(Outcome.NONE);
    }

    /** A list without a member cursor is being backfilled; a full sync walks every member: both wait for the rest. */
    static CallPriority priorityOf(ListLease lease) {
        return lease.memberCursor() == null || lease.full() ? CallPriority.BULK : CallPriority.SYNC;
    }

    /** Words for the run's error: Klaviyo's own reason where there is one, never a secret. */
    static String describe(Throwable failure) {
        if (failure instanceof KlaviyoNotFoundException) {
            return "the list no longer exists in Klaviyo (404); marked deleted";
        }
        if (failure instanceof LeaseLostException || failure instanceof SyncHandedOverException) {
            return failure.getMessage();
        }
        return SyncFailures.describe(failure);
    }

    private void countIngested(KlaviyoCredentials key, Outcome outcome) {
        metrics.counter("gateway_profiles_ingested_total", "account", key.metricLabel())
                .increment(outcome.seen());
    }
}
