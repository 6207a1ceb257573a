package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
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
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Discovers one claimed account's lists: pages through Klaviyo's lists, records new ones (due at
 * once, which is their backfill) and renames, marks the ones Klaviyo no longer lists deleted, and
 * records the run.
 */
@ApplicationScoped
public class ListDiscoveryService {

    private static final Logger LOG = Logger.getLogger(ListDiscoveryService.class);

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final DiscoveryStore store;
    private final DiscoverySchedule schedule;
    private final SyncRunRecorder runs;
    private final GatewayConfig.Sync config;

    ListDiscoveryService(KlaviyoClient klaviyo, AccountCredentials credentials, DiscoveryStore store,
            DiscoverySchedule schedule, SyncRunRecorder runs, GatewayConfig config) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.store = store;
        this.schedule = schedule;
        this.runs = runs;
        this.config = config.sync();
    }

    /** Discovers the account's lists; never fails: a failure is recorded and retried later. */
    public Uni<Void> discover(DiscoveryLease lease) {
        return runs.start(lease.accountId(), null, SyncKind.DISCOVERY, lease.trigger(), false, lease.owner())
                .chain(run -> discoverAndRecord(lease, run));
    }

    private Uni<Void> discoverAndRecord(DiscoveryLease lease, StartedRun run) {
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed());
        Set<String> listed = new LinkedHashSet<>();
        return klaviyo.lists(key, null)
                .onItem().transformToUniAndConcatenate(page -> savePage(lease, run, page, listed))
                .collect().last()
                .chain(() -> store.complete(lease, listed, lease.trigger() == SyncTrigger.SCHEDULE,
                        schedule.nextAfter(Instant.now())))
                .chain(() -> runs.succeed(run.id(), 0))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Integer> savePage(DiscoveryLease lease, StartedRun run, Page<ListItem> page, Set<String> listed) {
        page.items().forEach(list -> listed.add(list.id()));
        return store.saveLists(lease, page.items())
                .call(added -> runs.addDiscoveryPage(run.id(), page.items().size(), added));
    }

    private Uni<Void> recordFailure(DiscoveryLease lease, StartedRun run, Throwable failure) {
        String reason = SyncFailures.describe(failure);
        if (failure instanceof KlaviyoException) {
            LOG.warnf("discovery for account %s failed: %s", lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "discovery for account %s failed", lease.accountId());
        }
        return store.releaseFailed(lease, Instant.now().plus(config.discoveryRetry()))
                .call(() -> runs.fail(run.id(), reason))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
