package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.member.SubscriberRepository.Swept;
import io.github.klaviyosync.gateway.syncrun.SyncFailures;
import io.github.klaviyosync.gateway.syncrun.SyncKind;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder;
import io.github.klaviyosync.gateway.syncrun.SyncRunRecorder.StartedRun;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sweeps one claimed account: asks Klaviyo for the profiles changed since the sweep's cursor
 * ({@code updated}, oldest change first, with a margin before it), page by page, and brings the people
 * the gateway stores up to date, each page committed with the cursor in its own transaction. Records
 * the run (kind {@code profiles}) and hands the account back, due again one member interval after
 * the sweep started: a change in Klaviyo is served within one interval and one sweep.
 */
@ApplicationScoped
public class ProfileSweepService {

    private static final Logger LOG = Logger.getLogger(ProfileSweepService.class);

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final KlaviyoPeople people;
    private final SubscriberRepository subscribers;
    private final ProfileSweepRepository sweeps;
    private final SyncRunRecorder runs;
    private final Pool pool;
    private final GatewayConfig.Sync config;

    ProfileSweepService(KlaviyoClient klaviyo, AccountCredentials credentials, KlaviyoPeople people,
            SubscriberRepository subscribers, ProfileSweepRepository sweeps, SyncRunRecorder runs, Pool pool,
            GatewayConfig config) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.people = people;
        this.subscribers = subscribers;
        this.sweeps = sweeps;
        this.runs = runs;
        this.pool = pool;
        this.config = config.sync();
    }

    /** What a sweep did: pages, profiles Klaviyo listed, of them people the gateway stores, of those changed. */
    public record Outcome(int pages, int seen, int stored, int changed) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0);

        Outcome plus(Swept page) {
            return new Outcome(pages + 1, seen + page.seen(), stored + page.stored(), changed + page.changed());
        }
    }

    /** Claims up to {@code limit} accounts whose sweep is due, for {@code owner}. */
    public Uni<List<ProfileSweepLease>> claim(String owner, int limit, Duration lease) {
        return pool.withTransaction(connection -> sweeps.claim(connection, owner, limit, lease));
    }

    /** Extends every sweep claim the owner holds; returns how many it still holds. */
    public Uni<Integer> renew(String owner, Duration lease) {
        return pool.withTransaction(connection -> sweeps.renew(connection, owner, lease));
    }

    /** Sweeps the account; never fails: a failure is recorded on the run and the sweep is retried later. */
    public Uni<Outcome> sweep(ProfileSweepLease lease) {
        return runs.start(lease.accountId(), null, SyncKind.PROFILES, SyncTrigger.SCHEDULE, false, lease.owner())
                .chain(run -> sweepAndRecord(lease, run));
    }

    private Uni<Outcome> sweepAndRecord(ProfileSweepLease lease, StartedRun run) {
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed());
        return klaviyo.profilesUpdatedSince(key, lease.cursor().minus(config.checkOverlap()), lease.pageCursor())
                .onItem().transformToUniAndConcatenate(page -> commit(lease, run, page))
                .onItem().scan(() -> Outcome.NONE, Outcome::plus)
                .collect().last()
                .call(outcome -> complete(lease, run))
                .call(outcome -> runs.succeed(run, 0))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Swept> commit(ProfileSweepLease lease, StartedRun run, Page<MemberProfile> page) {
        List<KlaviyoPerson> swept = people.of(page.items());
        return pool.withTransaction(connection -> subscribers.commitSweptPage(connection, lease, run.id(), swept,
                page.nextUrl(), config.leaseDuration()));
    }

    private Uni<Void> complete(ProfileSweepLease lease, StartedRun run) {
        return pool.withTransaction(connection -> sweeps.complete(connection, lease, run.startedAt(), config.memberInterval()))
                .invoke(completed -> {
                    if (!completed) {
                        throw new LeaseLostException("the profile sweep of account " + lease.accountId()
                                + " lost its claim before it completed (" + lease.owner() + ")");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Outcome> recordFailure(ProfileSweepLease lease, StartedRun run, Throwable failure) {
        String reason = failure instanceof LeaseLostException ? failure.getMessage() : SyncFailures.describe(failure);
        if (failure instanceof KlaviyoException || failure instanceof LeaseLostException) {
            LOG.warnf("profile sweep of account %s failed: %s", lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "profile sweep of account %s failed", lease.accountId());
        }
        Uni<Integer> release = failure instanceof LeaseLostException
                ? Uni.createFrom().item(0)
                : pool.withTransaction(connection -> sweeps.releaseFailed(connection, lease, config.failureRetry()));
        return release
                .call(() -> runs.fail(run, reason))
                .onFailure().invoke(secondary -> LOG.warnf("could not record the failed profile sweep of account %s: %s",
                        lease.accountId(), secondary.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWith(Outcome.NONE);
    }
}
