package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.syncrun.SyncFailures;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Checks a claimed account's lists between two discoveries: asks Klaviyo for the lists updated since
 * the last check (one request when none was), stores new ones (due at once, which is their backfill)
 * and renames. A check records no sync run (one every few minutes per account would bury the runs
 * that matter): it keeps its outcome on the account's discovery state instead, where the status API
 * shows it ({@code listsCheckedAt}, and the error of a failed check until one succeeds), and counts
 * it in {@code gateway_list_checks_total}.
 */
@ApplicationScoped
public class ListCheckService {

    private static final Logger LOG = Logger.getLogger(ListCheckService.class);

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final DiscoveryRepository discoveries;
    private final ListRepository lists;
    private final Pool pool;
    private final MeterRegistry metrics;
    private final GatewayConfig.Sync config;

    ListCheckService(KlaviyoClient klaviyo, AccountCredentials credentials, DiscoveryRepository discoveries,
            ListRepository lists, Pool pool, MeterRegistry metrics, GatewayConfig config) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.discoveries = discoveries;
        this.lists = lists;
        this.pool = pool;
        this.metrics = metrics;
        this.config = config.sync();
    }

    /** Checks the account's lists; never fails: a failure is kept for the operator and the check is retried later. */
    public Uni<Void> check(DiscoveryLease lease) {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed());
        return klaviyo.listsUpdatedSince(key, lease.listsCheckedAt().minus(config.checkOverlap()))
                .onItem().transformToUniAndConcatenate(page -> save(lease, page))
                .collect().last()
                .chain(() -> pool.withTransaction(connection -> discoveries.completeCheck(connection, lease, startedAt,
                        config.listCheckInterval())))
                .invoke(completed -> DiscoveryLeaseLostException.unlessOne(completed, lease))
                .invoke(() -> count("succeeded"))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> recordFailure(lease, failure));
    }

    private Uni<Integer> save(DiscoveryLease lease, Page<ListItem> page) {
        if (page.items().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return saveUnderClaim(lease, SyncTrigger.SCHEDULE, page.items())
                .invoke(added -> {
                    if (added > 0) {
                        LOG.infof("list check of account %s found %d new list(s)", lease.accountId(), added);
                    }
                });
    }

    /**
     * A page of a walk (a check's or a discovery's), saved in one transaction after its claim is
     * renewed: a walk whose claim was taken saves nothing ({@link DiscoveryLeaseLostException}).
     * Returns how many lists were new.
     */
    Uni<Integer> saveUnderClaim(DiscoveryLease lease, SyncTrigger trigger, List<ListItem> page) {
        return pool.withTransaction(connection -> discoveries.renew(connection, lease, config.discoveryLeaseDuration())
                .chain(() -> lists.saveDiscovered(connection, lease.accountId(), trigger, page)));
    }

    private Uni<Void> recordFailure(DiscoveryLease lease, Throwable failure) {
        if (failure instanceof DiscoveryLeaseLostException) {
            LOG.warnf("list check of account %s stopped: %s", lease.accountId(), failure.getMessage());
            count("lost");
            return Uni.createFrom().voidItem();
        }
        String reason = SyncFailures.describe(failure);
        if (failure instanceof KlaviyoException) {
            LOG.warnf("list check of account %s failed: %s", lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "list check of account %s failed", lease.accountId());
        }
        count("failed");
        return pool.withTransaction(connection -> discoveries.releaseCheckFailed(connection, lease,
                        config.listCheckInterval(), reason))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void count(String status) {
        metrics.counter("gateway_list_checks_total", "status", status).increment();
    }
}
