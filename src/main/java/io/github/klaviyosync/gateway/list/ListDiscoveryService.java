package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountChecks;
import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.handover.HandingOver;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.syncrun.SyncFailures;
import io.github.klaviyosync.gateway.syncrun.SyncKind;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder.StartedRun;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Discovers claimed accounts' lists: pages through Klaviyo's lists, records new ones (due at once,
 * which is their backfill) and renames, marks the ones Klaviyo no longer lists deleted, and records
 * the run; between discoveries, hands due list checks to {@link ListCheckService}. Also takes
 * "discover now" requests.
 */
@ApplicationScoped
public class ListDiscoveryService {

    private static final Logger LOG = Logger.getLogger(ListDiscoveryService.class);

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final AccountRepository accounts;
    private final DiscoveryRepository discoveries;
    private final ListRepository lists;
    private final DiscoverySchedule schedule;
    private final SyncRunRecorder runs;
    private final ListCheckService checks;
    private final Pool pool;
    private final GatewayConfig.Sync config;
    private final HandingOver handingOver;

    ListDiscoveryService(KlaviyoClient klaviyo, AccountCredentials credentials, AccountRepository accounts,
            DiscoveryRepository discoveries, ListRepository lists, DiscoverySchedule schedule, SyncRunRecorder runs,
            ListCheckService checks, Pool pool, GatewayConfig config, HandingOver handingOver) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.accounts = accounts;
        this.discoveries = discoveries;
        this.lists = lists;
        this.schedule = schedule;
        this.runs = runs;
        this.checks = checks;
        this.pool = pool;
        this.config = config.sync();
        this.handingOver = handingOver;
    }

    /** Claims up to {@code limit} accounts whose discovery is due, for {@code owner}. */
    public Uni<List<DiscoveryLease>> claim(String owner, int limit, Duration lease) {
        return pool.withTransaction(connection -> discoveries.claim(connection, owner, limit, lease));
    }

    /** The owner hands over: the discoveries it still holds are released, due as they stand. */
    public Uni<Integer> releaseOwned(String owner) {
        return pool.withTransaction(connection -> discoveries.releaseOwned(connection, owner));
    }

    /**
     * Makes the account's discovery due now, trigger {@code manual}; the engine picks it up at its
     * next tick. 404 for an unknown account, 409 unless it is active.
     */
    @WithSession
    public Uni<Instant> requestNow(UUID accountId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return accounts.findById(accountId)
                .map(account -> AccountChecks.requireActive(accountId, account))
                .chain(() -> pool.withTransaction(connection -> discoveries.request(connection, accountId, now,
                        SyncTrigger.MANUAL)))
                .replaceWith(now);
    }

    /**
     * Discovers the account's lists, or, when only its list check is due, checks them
     * ({@link ListCheckService}); never fails: a failure is recorded and retried later.
     */
    public Uni<Void> discover(DiscoveryLease lease) {
        if (!lease.discoveryDue()) {
            return checks.check(lease);
        }
        return runs.start(lease.accountId(), null, SyncKind.DISCOVERY, lease.trigger(), false, lease.owner())
                .chain(run -> discoverAndRecord(lease, run));
    }

    private Uni<Void> discoverAndRecord(DiscoveryLease lease, StartedRun run) {
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed());
        Set<String> listed = new LinkedHashSet<>();
        return klaviyo.lists(key, null)
                .onItem().transformToUniAndConcatenate(page -> savePage(lease, run, page, listed))
                .collect().last()
                .chain(() -> pool.withTransaction(connection -> complete(connection, lease, run, listed)))
                .chain(() -> runs.succeed(run, 0))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Integer> savePage(DiscoveryLease lease, StartedRun run, Page<ListItem> page, Set<String> listed) {
        page.items().forEach(list -> listed.add(list.id()));
        return checks.saveUnderClaim(lease, lease.trigger(), page.items())
                .call(added -> runs.addDiscoveryPage(run.id(), page.items().size(), added))
                .invoke(() -> {
                    if (handingOver.isHandingOver(lease.owner())) {
                        throw new DiscoveryHandedOverException(lease.owner());
                    }
                });
    }

    /**
     * Ends a complete discovery, if its claim is still its own (else nothing of it is written): the
     * account is due again at the next cron time, and its next list check one interval after this
     * discovery started; lists Klaviyo did not list are deleted; with a nightly discovery, every list
     * owes a removal check with its next sync.
     */
    private Uni<Integer> complete(SqlConnection connection, DiscoveryLease lease, StartedRun run, Set<String> listed) {
        boolean nightly = lease.trigger() == SyncTrigger.SCHEDULE;
        return discoveries.complete(connection, lease, schedule.nextAfter(Instant.now()), run.startedAt(), config.listCheckInterval())
                .invoke(completed -> DiscoveryLeaseLostException.unlessOne(completed, lease))
                .chain(() -> lists.markMissingDeleted(connection, lease.accountId(), listed))
                .chain(() -> nightly ? lists.oweFullSyncs(connection, lease.accountId()) : Uni.createFrom().item(0));
    }

    private Uni<Void> recordFailure(DiscoveryLease lease, StartedRun run, Throwable failure) {
        if (failure instanceof DiscoveryHandedOverException) {
            LOG.infof("discovery for account %s handed over", lease.accountId());
            return pool.withTransaction(connection -> discoveries.releaseFailed(connection, lease, Instant.now()))
                    .call(() -> runs.fail(run, failure.getMessage()))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid();
        }
        if (failure instanceof DiscoveryLeaseLostException) {
            LOG.warnf("discovery for account %s stopped: %s", lease.accountId(), failure.getMessage());
            return runs.fail(run, failure.getMessage())
                    .onFailure().recoverWithNull()
                    .replaceWithVoid();
        }
        String reason = SyncFailures.describe(failure);
        if (failure instanceof KlaviyoException) {
            LOG.warnf("discovery for account %s failed: %s", lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "discovery for account %s failed", lease.accountId());
        }
        Instant retryAt = Instant.now().plus(config.discoveryRetry());
        return pool.withTransaction(connection -> discoveries.releaseFailed(connection, lease, retryAt))
                .call(() -> runs.fail(run, reason))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
