package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.NewEvent;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository.Stored;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes requests' events to the inbox, each request's answer waiting for the commit that holds its
 * events. Requests arriving together share one transaction (group commit): a request finding a write
 * in flight waits for the next one, which takes everything that waited. A lone request is written at
 * once, so batching costs nothing when traffic is light; under load a commit carries many requests'
 * events. A system event already stored (same account and {@code external_id}) is counted as a
 * duplicate; an event whose account no longer holds the credentials its request was verified with
 * (rotated, replaced or deleted since they were read) is counted as refused.
 */
@ApplicationScoped
public class InboxWriter {

    private final WebhookEventRepository events;
    private final Pool pool;
    private final int maxBatch;
    private final int maxConcurrentWrites;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int writesInFlight;

    InboxWriter(WebhookEventRepository events, Pool pool, GatewayConfig config) {
        this.events = events;
        this.pool = pool;
        this.maxBatch = config.webhook().inboxMaxBatch();
        this.maxConcurrentWrites = config.webhook().inboxMaxConcurrentWrites();
    }

    public Uni<StoreResult> store(WebhookCredentials verifiedWith, List<NewEvent> events) {
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
        int count = 0;
        while (!waiting.isEmpty() && (batch.isEmpty() || count + waiting.peek().events().size() <= maxBatch)) {
            Waiting next = waiting.poll();
            count += next.events().size();
            batch.add(next);
        }
        return batch;
    }

    /** Deferred, so that even a failure building the rows fails the batch's requests rather than the writer. */
    private Uni<List<Stored>> write(List<Waiting> batch) {
        return Uni.createFrom().deferred(() -> {
            List<WebhookCredentials> verifiedWith = new ArrayList<>();
            List<NewEvent> all = new ArrayList<>();
            for (Waiting request : batch) {
                for (NewEvent event : request.events()) {
                    verifiedWith.add(request.verifiedWith());
                    all.add(event);
                }
            }
            return pool.withTransaction(connection -> events.insertChecked(connection, verifiedWith, all));
        });
    }

    private void finish(List<Waiting> batch, List<Stored> outcomes) {
        released();
        int index = 0;
        for (Waiting request : batch) {
            int stored = 0;
            int refused = 0;
            for (int i = 0; i < request.events().size(); i++) {
                Stored outcome = outcomes.get(index++);
                stored += outcome == Stored.STORED ? 1 : 0;
                refused += outcome == Stored.REFUSED ? 1 : 0;
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

    private record Waiting(WebhookCredentials verifiedWith, List<NewEvent> events, UniEmitter<? super StoreResult> emitter) {
    }
}
