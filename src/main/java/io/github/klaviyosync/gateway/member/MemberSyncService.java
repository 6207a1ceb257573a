package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoNotFoundException;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.list.ListLeases;
import io.github.klaviyosync.gateway.syncrun.SyncFailures;
import io.github.klaviyosync.gateway.syncrun.SyncKind;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder.StartedRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Syncs one claimed list: fetches the members who joined since its cursor, page by page, each page
 * committed with its checkpoint; with a full sync, then compares every member id to mark who left;
 * records the run and hands the list back with its next due time.
 */
@ApplicationScoped
public class MemberSyncService {

    private static final Logger LOG = Logger.getLogger(MemberSyncService.class);

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final MemberRows memberRows;
    private final MemberPageWriter pages;
    private final RemovedMemberMarker removals;
    private final ListLeases leases;
    private final SyncRunRecorder runs;
    private final GatewayConfig.Sync config;
    private final MeterRegistry metrics;

    MemberSyncService(KlaviyoClient klaviyo, AccountCredentials credentials, MemberRows memberRows,
            MemberPageWriter pages, RemovedMemberMarker removals, ListLeases leases, SyncRunRecorder runs,
            GatewayConfig config, MeterRegistry metrics) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.memberRows = memberRows;
        this.pages = pages;
        this.removals = removals;
        this.leases = leases;
        this.runs = runs;
        this.config = config.sync();
        this.metrics = metrics;
    }

    /** What a member sync did. */
    public record Outcome(int pages, int seen, int added, int removed) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0);

        Outcome plus(MemberPageWriter.Committed page) {
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
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed());
        return fetchNewMembers(lease, run, key)
                .chain(outcome -> lease.full() ? markRemoved(lease, run, key, outcome) : Uni.createFrom().item(outcome))
                .call(outcome -> leases.complete(lease, run.startedAt(), config.memberInterval(), lease.full()))
                .call(outcome -> runs.succeed(run.id(), outcome.removed()))
                .invoke(outcome -> countIngested(key, outcome))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Outcome> fetchNewMembers(ListLease lease, StartedRun run, KlaviyoCredentials key) {
        return prefetched(klaviyo.members(key, lease.klaviyoListId(), lease.memberCursor(), lease.pageCursor()))
                .onItem().transformToUniAndConcatenate(fetched -> commit(lease, run, fetched))
                .onItem().scan(() -> Outcome.NONE, Outcome::plus)
                .collect().last();
    }

    /**
     * Lets the next pages be fetched while a page commits, at most {@code gateway.sync.prefetch-pages}
     * ahead; commits still happen one at a time and in order, each with its own checkpoint. A fetch
     * that fails travels as an item, so the pages before it are committed before the sync fails.
     */
    private Multi<FetchedPage> prefetched(Multi<Page<MemberProfile>> fetches) {
        Multi<FetchedPage> pages = fetches
                .onItem().transform(FetchedPage::fetched)
                .onFailure().recoverWithItem(FetchedPage::failed);
        Context context = Vertx.currentContext();
        if (config.prefetchPages() <= 0 || context == null) {
            return pages;
        }
        // Back on this sync's own context: the commits and what follows them stay on it.
        return pages.emitOn(command -> context.runOnContext(ignored -> command.run()), config.prefetchPages());
    }

    private Uni<MemberPageWriter.Committed> commit(ListLease lease, StartedRun run, FetchedPage fetched) {
        if (fetched.failure() != null) {
            return Uni.createFrom().failure(fetched.failure());
        }
        Page<MemberProfile> page = fetched.page();
        return pages.commit(lease, run.id(), memberRows.of(page.items()), page.nextUrl(), config.leaseDuration());
    }

    /** A fetched page, or the failure that ended the fetching. */
    private record FetchedPage(Page<MemberProfile> page, Throwable failure) {
        static FetchedPage fetched(Page<MemberProfile> page) {
            return new FetchedPage(page, null);
        }

        static FetchedPage failed(Throwable failure) {
            return new FetchedPage(null, failure);
        }
    }

    private Uni<Outcome> markRemoved(ListLease lease, StartedRun run, KlaviyoCredentials key, Outcome outcome) {
        Instant scanStartedAt = Instant.now();
        return klaviyo.memberIds(key, lease.klaviyoListId())
                .onItem().transformToUniAndConcatenate(page -> removals.stamp(lease, run.id(), page.items()))
                .collect().last()
                .chain(ignored -> removals.markUnstamped(lease, run.id(), scanStartedAt))
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
                .call(() -> runs.fail(run.id(), reason))
                .onFailure().invoke(secondary -> LOG.warnf("could not record the failed sync of list %s: %s",
                        lease.klaviyoListId(), secondary.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWith(Outcome.NONE);
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
