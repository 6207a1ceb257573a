package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.IntakeAccounts.IntakeAccount;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link InboxWriter} that lets requests arriving together share one transaction (group commit):
 * a request finding a write in flight waits for the next one, which takes everything that waited.
 * A lone request is written at once, so batching costs nothing when traffic is light; under load a
 * commit carries many requests' events. Each request is answered only after the commit that holds
 * its events. Writes go through the reactive pool directly: this is the hot path of the gateway.
 */
@ApplicationScoped
public class GroupCommitInboxWriter implements InboxWriter {

    // The request was verified against credentials read earlier (perhaps from this instance's cache):
    // the row goes in only if the account still holds them, checked in the same statement, so a
    // rotated-out token or a replaced secret is never accepted, whichever instance changed it.
    private static final String INSERT = """
            with allowed as (
                select 1 from account
                where id = $1::uuid and status <> 'deleted'
                  and case when $2::text = 'flow' then flow_token_hash = $7::text
                           else webhook_secret_enc = $8::bytea and klaviyo_account_id is not distinct from $9::text end),
            inserted as (
                insert into webhook_event (account_id, kind, external_id, topic, payload, occurred_at)
                select $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::timestamptz from allowed
                on conflict (account_id, external_id) do nothing
                returning 1)
            select (select count(*) from allowed) as allowed, (select count(*) from inserted) as inserted""";

    private final Pool pool;
    private final int maxBatch;
    private final int maxConcurrentWrites;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int writesInFlight;

    GroupCommitInboxWriter(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.maxBatch = config.webhook().inboxMaxBatch();
        this.maxConcurrentWrites = config.webhook().inboxMaxConcurrentWrites();
    }

    @Override
    public Uni<StoreResult> store(IntakeAccount verifiedWith, List<NewEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(StoreResult.NONE);
        }
        return Uni.createFrom().emitter(emitter -> enqueue(new Waiting(verifiedWith, events, emitter)));
    }

    private void enqueue(Waiting request) {
        synchronized (this) {
            waiting.add(request);
        }
        writeNext();
    }

    private void writeNext() {
        List<Waiting> batch;
        synchronized (this) {
            if (writesInFlight >= maxConcurrentWrites || waiting.isEmpty()) {
                return;
            }
            batch = takeBatch();
            writesInFlight++;
        }
        write(batch).subscribe().with(
                stored -> finish(batch, stored),
                failure -> fail(batch, failure));
    }

    /** At least one request; more while their events fit in one batch. */
    private List<Waiting> takeBatch() {
        List<Waiting> batch = new ArrayList<>();
        int events = 0;
        while (!waiting.isEmpty() && (batch.isEmpty() || events + waiting.peek().events().size() <= maxBatch)) {
            Waiting next = waiting.poll();
            events += next.events().size();
            batch.add(next);
        }
        return batch;
    }

    /** Deferred, so that even a failure building the rows fails the batch's requests rather than the writer. */
    private Uni<List<Outcome>> write(List<Waiting> batch) {
        return Uni.createFrom().deferred(() -> {
            List<Tuple> rows = new ArrayList<>();
            batch.forEach(request -> request.events().forEach(event -> rows.add(row(request.verifiedWith(), event))));
            return pool.withTransaction(connection -> connection.preparedQuery(INSERT).executeBatch(rows))
                    .map(GroupCommitInboxWriter::outcomes);
        });
    }

    private void finish(List<Waiting> batch, List<Outcome> outcomes) {
        released();
        int index = 0;
        for (Waiting request : batch) {
            int stored = 0;
            int refused = 0;
            for (int i = 0; i < request.events().size(); i++) {
                Outcome outcome = outcomes.get(index++);
                stored += outcome == Outcome.STORED ? 1 : 0;
                refused += outcome == Outcome.REFUSED ? 1 : 0;
            }
            request.emitter().complete(new StoreResult(stored, request.events().size() - stored - refused, refused));
        }
        writeNext();
    }

    private void fail(List<Waiting> batch, Throwable failure) {
        released();
        batch.forEach(request -> request.emitter().fail(failure));
        writeNext();
    }

    private synchronized void released() {
        writesInFlight--;
    }

    /** One outcome per event, in order. */
    private static List<Outcome> outcomes(RowSet<Row> first) {
        List<Outcome> outcomes = new ArrayList<>();
        for (RowSet<Row> result = first; result != null; result = result.next()) {
            Row row = result.iterator().next();
            if (row.getLong("allowed") == 0) {
                outcomes.add(Outcome.REFUSED);
            } else {
                outcomes.add(row.getLong("inserted") > 0 ? Outcome.STORED : Outcome.DUPLICATE);
            }
        }
        return outcomes;
    }

    private static Tuple row(IntakeAccount verifiedWith, NewEvent event) {
        byte[] secret = verifiedWith.webhookSecretSealed();
        return Tuple.of(event.accountId(), event.kind().wire(), event.externalId(), event.topic())
                .addString(event.payload())
                .addOffsetDateTime(event.occurredAt() == null ? null : event.occurredAt().atOffset(ZoneOffset.UTC))
                .addString(verifiedWith.flowTokenHash())
                .addValue(secret == null ? null : Buffer.buffer(secret))
                .addString(verifiedWith.klaviyoAccountId());
    }

    private enum Outcome { STORED, DUPLICATE, REFUSED }

    private record Waiting(IntakeAccount verifiedWith, List<NewEvent> events, UniEmitter<? super StoreResult> emitter) {
    }
}
