package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder.StartedRun;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A backfill that reaches {@code gateway.sync.backfill-eta-pages} pages asks Klaviyo once for its
 * list's size and records it on its run, from which the status API tells its pages left and ETA.
 * The question runs beside the sync, on a context of its own, at the lowest priority of its tier:
 * the sync never waits for it, and a failure only leaves the run without an ETA.
 */
@ApplicationScoped
class BackfillSizes {

    private static final Logger LOG = Logger.getLogger(BackfillSizes.class);

    private final KlaviyoClient klaviyo;
    private final SyncRunRecorder runs;
    private final SessionScopes scopes;
    private final GatewayConfig.Sync config;

    BackfillSizes(KlaviyoClient klaviyo, SyncRunRecorder runs, SessionScopes scopes, GatewayConfig config) {
        this.klaviyo = klaviyo;
        this.runs = runs;
        this.scopes = scopes;
        this.config = config.sync();
    }

    /** After each commit of a sync ({@code pages} so far): the backfill's size is asked for once past its threshold page. */
    void onPages(ListLease lease, StartedRun run, KlaviyoCredentials key, int pages, int lastCommitPages) {
        boolean reached = pages >= config.backfillEtaPages() && pages - lastCommitPages < config.backfillEtaPages();
        if (lease.memberCursor() != null || !reached) {
            return;
        }
        KlaviyoCredentials bulk = key.withPriority(CallPriority.BULK);
        scopes.isolated(() -> klaviyo.listProfileCount(bulk, lease.klaviyoListId())
                        .onItem().ifNotNull().call(count -> runs.expectProfiles(run.id(), count)))
                .subscribe().with(
                        count -> LOG.debugf("backfill of list %s: %s profiles", lease.klaviyoListId(), count),
                        failure -> LOG.debugf("backfill of list %s: size unknown (%s)", lease.klaviyoListId(),
                                failure.getClass().getSimpleName()));
    }
}
