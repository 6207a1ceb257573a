package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
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

    private static final String INSERT = """
            insert into webhook_event (account_id, kind, external_id, topic, payload, occurred_at)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (account_id, external_id) do nothing""";

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
    public Uni<StoreResult> store(List<NewEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(StoreResult.NONE);
        }
        return Uni.createFrom().emitter(emitter -> enqueue(new Waiting(events, emitter)));
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

    private Uni<List<Boolean>> write(List<Waiting> batch) {
        List<Tuple> rows = new ArrayList<>();
        batch.forEach(request -> request.events().forEach(event -> rows.add(row(event))));
        return pool.withTransaction(connection -> connection.preparedQuery(INSERT).executeBatch(rows))
                .map(GroupCommitInboxWriter::insertedFlags);
    }

    private void finish(List<Waiting> batch, List<Boolean> inserted) {
        released();
        int index = 0;
        for (Waiting request : batch) {
            int stored = 0;
            for (int i = 0; i < request.events().size(); i++) {
                stored += inserted.get(index++) ? 1 : 0;
            }
            request.emitter().complete(new StoreResult(stored, request.events().size() - stored));
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

    /** One flag per inserted row, in order: false where the conflict clause kept an existing row. */
    private static List<Boolean> insertedFlags(RowSet<Row> first) {
        List<Boolean> flags = new ArrayList<>();
        for (RowSet<Row> result = first; result != null; result = result.next()) {
            flags.add(result.rowCount() > 0);
        }
        return flags;
    }

    private static Tuple row(NewEvent event) {
        return Tuple.of(event.accountId(), event.kind().wire(), event.externalId(), event.topic())
                .addString(event.payload())
                .addOffsetDateTime(event.occurredAt() == null ? null : event.occurredAt().atOffset(ZoneOffset.UTC));
    }

    private record Waiting(List<NewEvent> events, UniEmitter<? super StoreResult> emitter) {
    }
}
