package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.arc.All;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Deletes the rows of accounts whose purge was asked for, one bounded batch per transaction, so a
 * purge of millions of rows never holds locks or a transaction for long and the replicas share the
 * work (each batch locks its account with SKIP LOCKED). Each package's rows go in the order of its
 * {@link AccountPurge}; the account row goes last, when nothing refers to it any more. Woken by a
 * purge request, and on a schedule for purges an instance left unfinished.
 */
@ApplicationScoped
public class AccountPurgeJob {

    private static final Logger LOG = Logger.getLogger(AccountPurgeJob.class);

    /** What one batch did. */
    enum Step { NOTHING_TO_PURGE, DELETED_ROWS, DELETED_ACCOUNT }

    /** What a run did: accounts whose last row went, and the batches (transactions) that deleted rows. */
    record Purged(int accounts, int batches) {

        Purged after(Step step) {
            return step == Step.DELETED_ACCOUNT ? new Purged(accounts + 1, batches + 1) : new Purged(accounts, batches + 1);
        }
    }

    private final AccountRepository accounts;
    private final List<AccountPurge> purges;
    private final Pool pool;
    private final int batch;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    AccountPurgeJob(AccountRepository accounts, @All List<AccountPurge> purges, Pool pool, GatewayConfig config) {
        this.accounts = accounts;
        this.purges = purges.stream().sorted(Comparator.comparingInt(AccountPurge::order)).toList();
        this.pool = pool;
        this.batch = config.storage().deleteBatchSize();
    }

    /** A purge now, or right after the one running. Returns at once. */
    public void wakeUp() {
        wanted.set(true);
        if (running.compareAndSet(false, true)) {
            run();
        }
    }

    @Scheduled(identity = "account-purge", every = "${gateway.storage.purge-interval}",
            delayed = "${gateway.storage.purge-interval}")
    void tick() {
        wakeUp();
    }

    private void run() {
        wanted.set(false);
        purgeAll(batch).subscribe().with(
                purged -> ended(),
                failure -> {
                    LOG.warnf("purging deleted accounts stopped: %s; it resumes at the next run", failure.getClass().getSimpleName());
                    ended();
                });
    }

    private void ended() {
        running.set(false);
        if (wanted.get() && running.compareAndSet(false, true)) {
            run();
        }
    }

    /** Batches until no account waits for its purge (or the others are being purged elsewhere). */
    Uni<Purged> purgeAll(int batchSize) {
        return purgeFrom(batchSize, new Purged(0, 0));
    }

    private Uni<Purged> purgeFrom(int batchSize, Purged soFar) {
        return pool.withTransaction(connection -> purgeBatch(connection, batchSize))
                .chain(step -> step == Step.NOTHING_TO_PURGE
                        ? Uni.createFrom().item(soFar)
                        : purgeFrom(batchSize, soFar.after(step)));
    }

    private Uni<Step> purgeBatch(SqlConnection connection, int batchSize) {
        return accounts.lockNextPurge(connection)
                .chain(accountId -> accountId == null
                        ? Uni.createFrom().item(Step.NOTHING_TO_PURGE)
                        : deleteSome(connection, accountId, batchSize, 0));
    }

    /** The first package with rows left deletes a batch; when none has any, the account row goes. */
    private Uni<Step> deleteSome(SqlConnection connection, UUID accountId, int batchSize, int next) {
        if (next == purges.size()) {
            return accounts.deletePurged(connection, accountId)
                    .invoke(() -> LOG.infof("account %s purged", accountId))
                    .replaceWith(Step.DELETED_ACCOUNT);
        }
        return purges.get(next).purgeBatch(connection, accountId, batchSize)
                .chain(deleted -> deleted > 0
                        ? Uni.createFrom().item(Step.DELETED_ROWS)
                        : deleteSome(connection, accountId, batchSize, next + 1));
    }
}
