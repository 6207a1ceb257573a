package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what verifying a webhook needs from an account (the intake's hot path avoids an ORM session
 * per request). Deleted accounts are unknown.
 *
 * <p>What was read is kept in memory ({@link #cached}), so a steady stream of pushes does not read the
 * account for every request. The cache is only a guess: the inbox stores an event only where the
 * account still holds the credentials it was verified with (see {@link InboxWriter}), and the intake
 * reads the account again ({@link #reload}) before refusing a request that the cached copy refuses,
 * since another instance may have rotated the token or replaced the secret, at most once per
 * {@code gateway.webhook.reread-after-refusal} for one account.
 *
 * <p>Reads are batched: an id not cached joins the next read, which asks for every id waiting in one
 * query; reads happen at most {@code gateway.webhook.account-reads-per-second}, the first at once. A
 * flood of made-up account ids therefore costs a few queries a second, whatever its rate, and an
 * account connected a moment ago through another instance is still found by the next read.
 */
@ApplicationScoped
public class IntakeAccounts {

    /** The accounts of a batch of ids (a read of the account package's table, by an array of ids). */
    private static final String SELECT = """
            select id, klaviyo_account_id, webhook_secret_enc, flow_token_hash
            from account where id = any($1::uuid[]) and status <> $2""";

    private final Pool pool;
    private final int cacheSize;
    private final long rereadNanos;
    private final long readIntervalNanos;
    private final int maxWaiting;
    private final Map<UUID, WebhookCredentials> cache = new ConcurrentHashMap<>();
    private final Map<UUID, Long> reloadedAt = new ConcurrentHashMap<>();
    private final Counter reads;
    /** Requests waiting for the next read, by account id; guarded by {@code this}. */
    private Map<UUID, List<UniEmitter<? super WebhookCredentials>>> waiting = new HashMap<>();
    private boolean readScheduled;
    private long lastReadAt = Long.MIN_VALUE / 2;

    IntakeAccounts(Pool pool, GatewayConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.cacheSize = config.webhook().accountCacheSize();
        this.rereadNanos = config.webhook().rereadAfterRefusal().toNanos();
        this.readIntervalNanos = Duration.ofSeconds(1).toNanos() / Math.max(1, config.webhook().accountReadsPerSecond());
        this.maxWaiting = config.webhook().accountCacheSize();
        this.reads = Counter.builder("gateway.webhooks.account.reads")
                .description("Database reads of the intake for the accounts webhooks name (made-up ids included)")
                .register(registry);
    }

    /** What this instance last read of the account, or null when it has not read it (or forgot it). */
    public WebhookCredentials cached(UUID accountId) {
        return cache.get(accountId);
    }

    /**
     * The account's verification material as the database has it now (at the next batched read), or
     * null when there is no such account; fails with {@link WebhookStorageUnavailable} when too many
     * ids wait already.
     */
    public Uni<WebhookCredentials> load(UUID accountId) {
        return Uni.createFrom().emitter(emitter -> enqueue(accountId, emitter));
    }

    /**
     * The account read again after its cached copy refused a request, or null when it was read again
     * less than {@code gateway.webhook.reread-after-refusal} ago (the refusal then stands).
     */
    public Uni<WebhookCredentials> reload(UUID accountId) {
        long now = System.nanoTime();
        Long last = reloadedAt.get(accountId);
        if (last != null && now - last < rereadNanos) {
            return Uni.createFrom().nullItem();
        }
        if (reloadedAt.size() >= cacheSize) {
            reloadedAt.clear();
        }
        reloadedAt.put(accountId, now);
        return load(accountId);
    }

    private void enqueue(UUID accountId, UniEmitter<? super WebhookCredentials> emitter) {
        long delayNanos;
        synchronized (this) {
            if (waiting.size() >= maxWaiting && !waiting.containsKey(accountId)) {
                emitter.fail(new WebhookStorageUnavailable("too many accounts wait to be read"));
                return;
            }
            waiting.computeIfAbsent(accountId, id -> new ArrayList<>()).add(emitter);
            if (readScheduled) {
                return;
            }
            readScheduled = true;
            delayNanos = Math.max(0, lastReadAt + readIntervalNanos - System.nanoTime());
        }
        Duration delay = timerDelay(delayNanos);
        Uni<Void> start = delay.isZero()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(delay);
        // Whatever becomes of the timer, the waiting requests are read: none stays scheduled forever.
        start.subscribe().with(ignored -> readWaiting(), timerFailed -> readWaiting());
    }

    /**
     * The wait before the next read in whole milliseconds, rounded up: Vert.x refuses a timer under
     * 1 ms, and a refused timer (a wait of 0.5 ms, say) left every later request waiting for a read
     * that never came.
     */
    static Duration timerDelay(long delayNanos) {
        return Duration.ofMillis((Math.max(0, delayNanos) + 999_999) / 1_000_000);
    }

    /** One query for every id waiting; each waiting request gets its account (or null), or the read's failure. */
    private void readWaiting() {
        Map<UUID, List<UniEmitter<? super WebhookCredentials>>> batch;
        synchronized (this) {
            batch = waiting;
            waiting = new HashMap<>();
            readScheduled = false;
            lastReadAt = System.nanoTime();
        }
        reads.increment();
        // Through an acquired connection rather than Pool#preparedQuery: the latter leaves a timer
        // behind when the database is unreachable (vertx-sql-client#1706), which logs an error later.
        pool.withConnection(connection -> connection.preparedQuery(SELECT)
                        .execute(Tuple.of(batch.keySet().toArray(UUID[]::new), AccountStatus.DELETED.wire())))
                .subscribe().with(
                        rows -> answer(batch, credentials(rows)),
                        failure -> batch.values().forEach(emitters -> emitters.forEach(emitter -> emitter.fail(failure))));
    }

    private void answer(Map<UUID, List<UniEmitter<? super WebhookCredentials>>> batch, Map<UUID, WebhookCredentials> found) {
        batch.forEach((accountId, emitters) -> {
            WebhookCredentials account = found.get(accountId);
            remember(accountId, account);
            emitters.forEach(emitter -> emitter.complete(account));
        });
    }

    private void remember(UUID accountId, WebhookCredentials account) {
        if (account == null) {
            cache.remove(accountId);
            return;
        }
        if (cache.size() >= cacheSize && !cache.containsKey(accountId)) {
            // Full: start afresh rather than track use; each account costs one read to come back.
            cache.clear();
        }
        cache.put(accountId, account);
    }

    private static Map<UUID, WebhookCredentials> credentials(RowSet<Row> rows) {
        Map<UUID, WebhookCredentials> found = new HashMap<>();
        for (Row row : rows) {
            var secret = row.getBuffer("webhook_secret_enc");
            UUID id = row.getUUID("id");
            found.put(id, new WebhookCredentials(id, row.getString("klaviyo_account_id"),
                    secret == null ? null : secret.getBytes(), row.getString("flow_token_hash")));
        }
        return found;
    }
}
