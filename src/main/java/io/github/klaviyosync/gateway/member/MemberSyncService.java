package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
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
import io.github.klaviyosync.gateway.syncrun.SyncFailures;
import io.github.klaviyosync.gateway.syncrun.SyncKind;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder.StartedRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Syncs one claimed list: fetches the members who joined since its cursor, page by page, each page
 * committed with its checkpoint in its own transaction; with a full sync, then compares every member
 * id to mark who left; records the run and hands the list back with its next due time.
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
    private final BackfillSizes backfillSizes;

    MemberSyncService(KlaviyoClient klaviyo, AccountCredentials credentials, KlaviyoPeople people,
            MembershipRepository memberships, ListLeases leases, SyncRunRecorder runs, Pool pool, GatewayConfig config,
            MeterRegistry metrics, BackfillSizes backfillSizes) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.people = people;
        this.memberships = memberships;
        this.leases = leases;
        this.runs = runs;
        this.pool = pool;
        this.config = config.sync();
        this.metrics = metrics;
        this.backfillSizes = backfillSizes;
    }

    /** What a member sync did. */
    public record Outcome(int pages, int seen, int added, int removed) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0);

        Outcome plus(Committed page) {
            return new Outcome(pages + 1, seen + page.seen(), added + page.added(), removed);
        }

        Outcome withRemoved(int count) {
            return new Outcome(pages, seen, added, count);
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
        return fetchNewMembers(lease, run, key)
                .chain(outcome -> lease.full() ? markRemoved(lease, run, key, outcome) : Uni.createFrom().item(outcome))
                .call(outcome -> leases.complete(lease, run.startedAt(), config.memberInterval(), lease.full()))
                .call(outcome -> runs.succeed(run, outcome.removed()))
                .invoke(outcome -> countIngested(key, outcome))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Outcome> fetchNewMembers(ListLease lease, StartedRun run, KlaviyoCredentials key) {
        return klaviyo.members(key, lease.klaviyoListId(), lease.memberCursor(), lease.pageCursor())
                .onItem().transformToUniAndConcatenate(page -> commit(lease, run, page))
                .onItem().scan(() -> Outcome.NONE, Outcome::plus)
                .invoke(outcome -> backfillSizes.onPage(lease, run, key, outcome.pages()))
                .collect().last();
    }

    private Uni<Committed> commit(ListLease lease, StartedRun run, Page<MemberProfile> page) {
        List<KlaviyoPerson> fetched = people.of(page.items());
        return pool.withTransaction(connection -> memberships.commitPage(connection, lease, run.id(), fetched,
                page.nextUrl(), config.leaseDuration()));
    }

    /**
     * Every member id Klaviyo lists is stamped with the run, page by page; when all pages are in,
     * memberships the run did not stamp are marked removed. Memberships written after the id scan
     * began (a push, a join during the scan) are left alone.
     */
    private Uni<Outcome> markRemoved(ListLease lease, StartedRun run, KlaviyoCredentials key, Outcome outcome) {
        Instant scanStartedAt = Instant.now();
        return klaviyo.memberIds(key, lease.klaviyoListId())
                .onItem().transformToUniAndConcatenate(page -> pool.withTransaction(connection ->
                        memberships.stamp(connection, lease, run.id(), page.items())))
                .collect().last()
                .chain(ignored -> pool.withTransaction(connection ->
                        memberships.markUnstamped(connection, lease, run.id(), scanStartedAt)))
                .map(outcome::withRemoved);
    }

    private Uni<Outcome> recordFailure(ListLease lease, StartedRun run, Throwable failure) {
        String reason = describe(failure);
        if (failure instanceof KlaviyoException || failure instanceof LeaseLostException) {
            LOG.warnf("sync of list %s (account %s) failed: %s", lease.klaviyoListId(), lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "sync of list %s (account %s) failed", lease.klaviyoListId(), lease.accountId());
        }
        Uni<Void> release = failure instanceof KlaviyoNotFoundException
                ? leases.markDeleted(lease)
                : failure instanceof LeaseLostException
                        ? Uni.createFrom().voidItem()
                        : leases.releaseFailed(lease, config.failureRetry());
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
        if (failure instanceof LeaseLostException) {
            return failure.getMessage();
        }
        return SyncFailures.describe(failure);
    }

    private void countIngested(KlaviyoCredentials key, Outcome outcome) {
        metrics.counter("gateway_profiles_ingested_total", "account", key.metricLabel())
                .increment(outcome.seen());
    }
}
