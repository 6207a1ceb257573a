package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.handover.HandingOver;
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
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Set;
import java.time.Instant;
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
    /** Unconfirmed pushed people asked for per sweep: one request's worth. */
    private static final int PUSHED_PER_SWEEP = 100;

    private final KlaviyoClient klaviyo;
    private final AccountCredentials credentials;
    private final KlaviyoPeople people;
    private final SubscriberRepository subscribers;
    private final ProfileSweepRepository sweeps;
    private final SyncRunRecorder runs;
    private final Pool pool;
    private final GatewayConfig.Sync config;
    private final HandingOver handingOver;

    ProfileSweepService(KlaviyoClient klaviyo, AccountCredentials credentials, KlaviyoPeople people,
            SubscriberRepository subscribers, ProfileSweepRepository sweeps, SyncRunRecorder runs, Pool pool,
            GatewayConfig config, HandingOver handingOver) {
        this.klaviyo = klaviyo;
        this.credentials = credentials;
        this.people = people;
        this.subscribers = subscribers;
        this.sweeps = sweeps;
        this.runs = runs;
        this.pool = pool;
        this.config = config.sync();
        this.handingOver = handingOver;
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

    /** Releases every sweep the owner holds (a handover), due as they stand; returns how many. */
    public Uni<Integer> releaseOwned(String owner) {
        return pool.withTransaction(connection -> sweeps.releaseOwned(connection, owner));
    }

    /** Sweeps the account; never fails: a failure is recorded on the run and the sweep is retried later. */
    public Uni<Outcome> sweep(ProfileSweepLease lease) {
        return runs.start(lease.accountId(), null, SyncKind.PROFILES, SyncTrigger.SCHEDULE, false, lease.owner())
                .chain(run -> sweepAndRecord(lease, run));
    }

    private Uni<Outcome> sweepAndRecord(ProfileSweepLease lease, StartedRun run) {
        KlaviyoCredentials key = credentials.of(lease.accountId(), lease.klaviyoAccountId(), lease.apiKeySealed());
        // The next page is fetched while this one commits (transformToUniAndConcatenate asked for it
        // only once the commit had ended); a page a commit, as a sweep is usually a single page. A
        // handover stops the reading at once, also while a page is awaited.
        Multi<Page<MemberProfile>> pages = klaviyo.profilesUpdatedSince(key, lease.cursor().minus(config.checkOverlap()),
                lease.pageCursor());
        Uni<SyncHandedOverException> handedOver = handingOver.begun(lease.owner())
                .map(ignored -> handedOver(lease));
        return ArrivedBatches.handle(pages, 1, batch -> commit(lease, run, batch.get(0)), handedOver)
                .onItem().scan(() -> Outcome.NONE, Outcome::plus)
                .collect().last()
                .call(outcome -> confirmPushed(lease, key))
                .call(outcome -> complete(lease, run))
                .call(outcome -> runs.succeed(run, 0))
                .onFailure().recoverWithUni(failure -> recordFailure(lease, run, failure));
    }

    private Uni<Swept> commit(ProfileSweepLease lease, StartedRun run, Page<MemberProfile> page) {
        List<KlaviyoPerson> swept = people.of(page.items());
        return pool.withTransaction(connection -> subscribers.commitSweptPage(connection, lease, run.id(), swept,
                        page.nextUrl(), config.leaseDuration()))
                .invoke(() -> {
                    if (handingOver.isHandingOver(lease.owner())) {
                        throw handedOver(lease);
                    }
                });
    }

    private static SyncHandedOverException handedOver(ProfileSweepLease lease) {
        return new SyncHandedOverException(lease.owner(), "the profile sweep of account " + lease.accountId());
    }

    /**
     * People created from pushes that no poll has confirmed within a member interval (a poll of their
     * list normally brings Klaviyo's values at once) are asked for by id, a hundred a request: those
     * Klaviyo has are stored as it gives them. A pushed id Klaviyo no longer answers for (profiles
     * merged) is found again by the pushed email, then phone, and the person's memberships follow the
     * surviving id; one found by neither stays until a full sync of their list finds them gone. Each
     * write holds the sweep's claim: a sweep whose claim was lost meanwhile writes nothing more.
     */
    private Uni<Void> confirmPushed(ProfileSweepLease lease, KlaviyoCredentials key) {
        if (handingOver.isHandingOver(lease.owner())) {
            return Uni.createFrom().failure(handedOver(lease));
        }
        Instant before = Instant.now().minus(config.memberInterval());
        return pool.withConnection(connection -> subscribers.unconfirmedPushed(connection, lease.accountId(), before,
                        PUSHED_PER_SWEEP))
                .chain(pushed -> pushed.isEmpty() ? Uni.createFrom().voidItem() : confirm(lease, key, pushed));
    }

    private Uni<Void> confirm(ProfileSweepLease lease, KlaviyoCredentials key, List<SubscriberRepository.PushedPerson> pushed) {
        return klaviyo.profilesByIds(key, pushed.stream().map(SubscriberRepository.PushedPerson::profileId).toList())
                .call(found -> storeAll(lease, found))
                .map(found -> missing(pushed, found))
                .onItem().transformToMulti(gone -> Multi.createFrom().iterable(gone))
                .onItem().transformToUniAndConcatenate(gone -> findAgain(lease, key, gone))
                .collect().last()
                .replaceWithVoid();
    }

    /** The people Klaviyo answered for, in one transaction under the sweep's claim (one statement each, in turn). */
    private Uni<Void> storeAll(ProfileSweepLease lease, List<MemberProfile> found) {
        List<KlaviyoPerson> foundPeople = people.of(found);
        if (foundPeople.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(connection -> sweeps.hold(connection, lease)
                .chain(() -> storeEach(connection, lease, foundPeople)));
    }

    private Uni<Void> storeEach(SqlConnection connection, ProfileSweepLease lease, List<KlaviyoPerson> found) {
        return Multi.createFrom().iterable(found)
                .onItem().transformToUniAndConcatenate(person -> subscribers.storeFromKlaviyo(connection, lease.accountId(), person))
                .collect().last()
                .replaceWithVoid();
    }

    private static List<SubscriberRepository.PushedPerson> missing(List<SubscriberRepository.PushedPerson> pushed,
            List<MemberProfile> found) {
        Set<String> known = found.stream().map(MemberProfile::id).collect(Collectors.toSet());
        return pushed.stream().filter(person -> !known.contains(person.profileId())).toList();
    }

    /** A pushed id Klaviyo no longer knows: the profile that has its email (else its phone) survived it. */
    private Uni<Void> findAgain(ProfileSweepLease lease, KlaviyoCredentials key, SubscriberRepository.PushedPerson gone) {
        Uni<MemberProfile> byEmail = gone.email() == null
                ? Uni.createFrom().nullItem()
                : klaviyo.profileWithEmail(key, gone.email());
        return byEmail
                .onItem().ifNull().switchTo(() -> gone.phone() == null
                        ? Uni.createFrom().nullItem()
                        : klaviyo.profileWithPhone(key, gone.phone()))
                .chain(survivor -> survivor == null || survivor.id().equals(gone.profileId())
                        ? Uni.createFrom().voidItem()
                        : pool.withTransaction(connection -> sweeps.hold(connection, lease)
                                .chain(() -> subscribers.replaceWithSurvivor(connection, lease.accountId(), gone.profileId(),
                                        people.of(survivor)))));
    }

    private Uni<Void> complete(ProfileSweepLease lease, StartedRun run) {
        return pool.withTransaction(connection -> sweeps.complete(connection, lease, run.startedAt(), config.memberInterval()))
                .invoke(completed -> {
                    if (!completed) {
                        throw new LeaseLostException(lease, " before it completed");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Outcome> recordFailure(ProfileSweepLease lease, StartedRun run, Throwable failure) {
        boolean handedOver = failure instanceof SyncHandedOverException;
        String reason = failure instanceof LeaseLostException || handedOver ? failure.getMessage() : SyncFailures.describe(failure);
        if (handedOver) {
            LOG.infof("profile sweep of account %s handed over", lease.accountId());
        } else if (failure instanceof KlaviyoException || failure instanceof LeaseLostException) {
            LOG.warnf("profile sweep of account %s failed: %s", lease.accountId(), reason);
        } else {
            LOG.errorf(failure, "profile sweep of account %s failed", lease.accountId());
        }
        Uni<Integer> release = failure instanceof LeaseLostException
                ? Uni.createFrom().item(0)
                : pool.withTransaction(connection -> sweeps.releaseFailed(connection, lease,
                        handedOver ? Duration.ZERO : config.failureRetry()));
        return release
                .call(() -> runs.fail(run, reason))
                .onFailure().invoke(secondary -> LOG.warnf("could not record the failed profile sweep of account %s: %s",
                        lease.accountId(), secondary.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWith(Outcome.NONE);
    }
}
