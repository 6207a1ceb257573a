package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.NewEvent;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository.Stored;
import io.github.klaviyosync.gateway.db.DatabaseOutage;
import io.smallrye.mutiny.Multi;
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
 *
 * <p>A shared commit that fails for another reason than a lost database is written again request by
 * request, each in its own transaction, so that a request the database refuses fails alone. The wait
 * is bounded: by requests and bytes waiting, and by time; a request beyond either is answered 503
 * ({@link WebhookStorageUnavailable}), which Klaviyo retries.
 */
@ApplicationScoped
public class InboxWriter {

    private final WebhookEventRepository events;
    private final Pool pool;
    private final int maxBatch;
    private final int maxConcurrentWrites;
    private final int maxWaitingRequests;
    private final long maxWaitingBytes;
    private final long maxWaitNanos;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private int writesInFlight;

    InboxWriter(WebhookEventRepository events, Pool pool, GatewayConfig config) {
        this.events = events;
        this.pool = pool;
        this.maxBatch = config.webhook().inboxMaxBatch();
        this.maxConcurrentWrites = config.webhook().inboxMaxConcurrentWrites();
        this.maxWaitingRequests = config.webhook().inboxMaxWaitingRequests();
        this.maxWaitingBytes = config.webhook().inboxMaxWaitingBytes();
        this.maxWaitNanos = config.webhook().inboxMaxWait().toNanos();
    }

    public Uni<StoreResult> store(WebhookCredentials verifiedWith, List<NewEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(StoreResult.NONE);
        }
        long bytes = events.stream().mapToLong(event -> event.payload().length()).sum();
        return Uni.createFrom().emitter(emitter -> enqueue(new Waiting(verifiedWith, events, bytes, System.nanoTime(), emitter)));
    }

    private void enqueue(Waiting request) {
        synchronized (this) {
            if (waiting.size() >= maxWaitingRequests || waitingBytes + request.bytes() > maxWaitingBytes) {
                request.emitter().fail(new WebhookStorageUnavailable("the inbox has too many requests waiting"));
                return;
            }
            waiting.add(request);
            waitingBytes += request.bytes();
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
            if (batch.isEmpty()) {
                return;
            }
            writesInFlight++;
        }
        write(batch)
                .onFailure(failure -> batch.size() > 1 && !DatabaseOutage.isCausedBy(failure))
                .recoverWithUni(() -> writeOneByOne(batch))
                .subscribe().with(
                        stored -> finish(batch, stored),
                        failure -> fail(batch, failure));
    }

    /**
     * The batch again, request by request, each in its own transaction: the outcomes of those the
     * database takes, and for a request it refuses, its failure in place of its outcomes.
     */
    private Uni<List<Stored>> writeOneByOne(List<Waiting> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(request -> write(List.of(request))
                        .onFailure().invoke(request::failed)
                        .onFailure().recoverWithItem(List.of()))
                .onItem().<Stored>disjoint()
                .collect().asList();
    }

    /** At least one request; more while their events fit in one batch. Requests that waited too long are answered 503. */
    private List<Waiting> takeBatch() {
        List<Waiting> batch = new ArrayList<>();
        int count = 0;
        long now = System.nanoTime();
        while (!waiting.isEmpty() && (batch.isEmpty() || count + waiting.peek().events().size() <= maxBatch)) {
            Waiting next = waiting.poll();
            waitingBytes -= next.bytes();
            if (now - next.enqueuedAt() > maxWaitNanos) {
                next.emitter().fail(new WebhookStorageUnavailable("the request waited too long for the inbox"));
                continue;
            }
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
            // One statement, committed when it answers: one round trip where a transaction takes three.
            return events.insertChecked(pool, verifiedWith, all);
        });
    }

    private void finish(List<Waiting> batch, List<Stored> outcomes) {
        released();
        int index = 0;
        for (Waiting request : batch) {
            if (request.failure[0] != null) {
                request.emitter().fail(request.failure[0]);
                continue;
            }
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

    /** A request waiting for the inbox; {@code failure} holds its own failure when it was written alone and refused. */
    private record Waiting(WebhookCredentials verifiedWith, List<NewEvent> events, long bytes, long enqueuedAt,
            UniEmitter<? super StoreResult> emitter, Throwable[] failure) {

        Waiting(WebhookCredentials verifiedWith, List<NewEvent> events, long bytes, long enqueuedAt,
                UniEmitter<? super StoreResult> emitter) {
            this(verifiedWith, events, bytes, enqueuedAt, emitter, new Throwable[1]);
        }

        void failed(Throwable cause) {
            failure[0] = cause;
        }
    }
}
