package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.account.AccountRepository.SealedSecrets;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Seals again, under {@code GATEWAY_CRYPTO_KEY} and in the current format, every stored secret that
 * is not: values sealed under one of {@code GATEWAY_CRYPTO_OLD_KEYS}, and values written before
 * ciphertexts carried a key id. Batch after batch in id order, each batch one transaction. A value is
 * replaced only while it is still the one that was read (compare-and-set), so replicas running the
 * pass at once, or a new key or secret given through the API meanwhile, never lose a value.
 * Counts go to {@code gateway_secrets_rewritten_total} and {@code gateway_secrets_outdated_accounts}.
 */
@ApplicationScoped
public class SecretRewriter {

    private static final Logger LOG = Logger.getLogger(SecretRewriter.class);
    /** Below every account id (random UUIDs), where a pass starts. */
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final AccountRepository accounts;
    private final Pool pool;
    private final SecretBox secretBox;
    private final int batchSize;
    private final Counter rewrittenCounter;
    private final AtomicLong outdatedAccounts = new AtomicLong();

    SecretRewriter(AccountRepository accounts, SecretBox secretBox, Pool pool, GatewayConfig config, MeterRegistry registry) {
        this.accounts = accounts;
        this.pool = pool;
        this.secretBox = secretBox;
        this.batchSize = config.crypto().rewriteBatchSize();
        this.rewrittenCounter = Counter.builder("gateway.secrets.rewritten")
                .description("Stored secrets sealed again under the current key")
                .register(registry);
        Gauge.builder("gateway.secrets.outdated.accounts", outdatedAccounts, AtomicLong::get)
                .description("Accounts holding a secret not sealed under the current key, as the last rewrite pass left them")
                .register(registry);
    }

    /** One pass over every account; what it rewrote and what is left. */
    public Uni<Pass> rewriteAll() {
        return passFrom(BEFORE_ALL, new Pass(0, 0, 0))
                .chain(pass -> pool.withConnection(connection -> accounts.countSealedNotUnder(connection, secretBox.currentPrefix()))
                        .map(pass::leaving))
                .invoke(this::report);
    }

    private Uni<Pass> passFrom(UUID after, Pass sofar) {
        return pool.withConnection(connection -> accounts.sealedNotUnder(connection, secretBox.currentPrefix(), after, batchSize))
                .chain(rows -> Panache.withTransaction(() -> rewriteBatch(rows)))
                .chain(batch -> batch.accounts() == 0 || batch.accounts() < batchSize
                        ? Uni.createFrom().item(sofar.plus(batch))
                        : passFrom(batch.lastId(), sofar.plus(batch)));
    }

    private Uni<Batch> rewriteBatch(List<SealedSecrets> rows) {
        return Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(this::rewrite)
                .collect().asList()
                .map(tallies -> Batch.of(rows, tallies));
    }

    private Uni<Tally> rewrite(SealedSecrets row) {
        return rewrite(row.id(), SecretField.API_KEY, row.apiKeySealed())
                .chain(apiKey -> rewrite(row.id(), SecretField.WEBHOOK_SECRET, row.webhookSecretSealed())
                        .map(apiKey::plus));
    }

    private Uni<Tally> rewrite(UUID accountId, SecretField field, byte[] sealed) {
        if (sealed == null || secretBox.isCurrent(sealed)) {
            return Uni.createFrom().item(Tally.NONE);
        }
        byte[] resealed;
        try {
            resealed = secretBox.seal(secretBox.open(sealed, field, accountId), field, accountId);
        } catch (SecretBox.SecretBoxException unreadable) {
            LOG.warnf("account %s: its stored %s opens under none of the configured keys (GATEWAY_CRYPTO_KEY, "
                    + "GATEWAY_CRYPTO_OLD_KEYS); it is left as it is", accountId, field);
            return Uni.createFrom().item(Tally.UNREADABLE);
        }
        Uni<Boolean> replaced = field == SecretField.API_KEY
                ? accounts.replaceApiKeySealed(accountId, sealed, resealed)
                : accounts.replaceWebhookSecretSealed(accountId, sealed, resealed);
        return replaced
                .invoke(done -> {
                    if (done) {
                        rewrittenCounter.increment();
                    }
                })
                .map(done -> done ? Tally.REWRITTEN : Tally.NONE);
    }

    private void report(Pass pass) {
        outdatedAccounts.set(pass.outdatedAccounts());
        if (pass.rewritten() > 0 || pass.outdatedAccounts() > 0) {
            LOG.infof("secret rewrite pass: %d stored secrets sealed again under the current key, %d open under no "
                    + "configured key, %d accounts still hold a secret not sealed under the current key",
                    pass.rewritten(), pass.unreadable(), pass.outdatedAccounts());
        }
    }

    /** What one pass did: values sealed again, values no configured key opens, accounts left outdated at its end. */
    public record Pass(int rewritten, int unreadable, long outdatedAccounts) {

        Pass plus(Batch batch) {
            return new Pass(rewritten + batch.tally().rewritten(), unreadable + batch.tally().unreadable(), outdatedAccounts);
        }

        Pass leaving(long outdated) {
            return new Pass(rewritten, unreadable, outdated);
        }
    }

    /** One batch: how many accounts it read, the last one's id, and what it did. */
    record Batch(int accounts, UUID lastId, Tally tally) {

        static Batch of(List<SealedSecrets> rows, List<Tally> tallies) {
            UUID last = rows.isEmpty() ? null : rows.get(rows.size() - 1).id();
            return new Batch(rows.size(), last, tallies.stream().reduce(Tally.NONE, Tally::plus));
        }
    }

    record Tally(int rewritten, int unreadable) {

        static final Tally NONE = new Tally(0, 0);
        static final Tally REWRITTEN = new Tally(1, 0);
        static final Tally UNREADABLE = new Tally(0, 1);

        Tally plus(Tally other) {
            return new Tally(rewritten + other.rewritten, unreadable + other.unreadable);
        }
    }
}
