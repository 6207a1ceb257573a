package io.github.klaviyosync.gateway.member;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Handles a stream's items in batches, one batch at a time and in order: each batch is what arrived
 * while the previous one was being handled (at least one item, at most {@code most}). The stream is
 * read up to {@code most} items ahead of the batch being handled. When items arrive slower than a
 * batch is handled, each is handled alone as it comes; when they arrive faster, they are handled
 * together, so the fixed cost of handling (a statement, a commit) is paid once for several.
 *
 * <p>Items that arrived are handled even when the stream then fails: the failure is passed on after
 * them. A batch that fails ends the whole: no later item is handled and the stream is cancelled.
 * A stop (a failure that comes from outside the stream) ends the reading at once, even while an item
 * is awaited: the stream is cancelled, what arrived is handled, then the stop's failure is passed on.
 */
final class ArrivedBatches<T, R> implements MultiSubscriber<T> {

    private final int most;
    private final Function<List<T>, Uni<R>> handler;
    private final MultiEmitter<? super R> downstream;
    private final ArrayDeque<T> arrived = new ArrayDeque<>();
    private Flow.Subscription upstream;
    private boolean handling;
    private boolean upstreamDone;
    private Throwable upstreamFailure;
    private boolean finished;

    private ArrivedBatches(int most, Function<List<T>, Uni<R>> handler, MultiEmitter<? super R> downstream) {
        this.most = most;
        this.handler = handler;
        this.downstream = downstream;
    }

    /** The results of {@code handler}, one per batch of {@code items}, in order. */
    static <T, R> Multi<R> handle(Multi<T> items, int most, Function<List<T>, Uni<R>> handler) {
        return handle(items, most, handler, Uni.createFrom().nothing());
    }

    /** As {@link #handle(Multi, int, Function)}, reading no further once {@code stop} gives a failure. */
    static <T, R> Multi<R> handle(Multi<T> items, int most, Function<List<T>, Uni<R>> handler, Uni<? extends Throwable> stop) {
        if (most < 1) {
            throw new IllegalArgumentException("a batch holds at least one item");
        }
        return Multi.createFrom().emitter(emitter -> {
            ArrivedBatches<T, R> batches = new ArrivedBatches<>(most, handler, emitter);
            Cancellable stopping = stop.subscribe().with(batches::stopReading, ignored -> { });
            // One callback: an emitter keeps only the last one given.
            emitter.onTermination(() -> {
                stopping.cancel();
                batches.stop();
            });
            items.subscribe().withSubscriber(batches);
        });
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        boolean stopped;
        synchronized (this) {
            upstream = subscription;
            stopped = upstreamDone;
        }
        if (stopped) {
            subscription.cancel();
        } else {
            subscription.request(most);
        }
    }

    @Override
    public void onItem(T item) {
        synchronized (this) {
            arrived.addLast(item);
        }
        handleNext();
    }

    @Override
    public void onFailure(Throwable failure) {
        synchronized (this) {
            upstreamDone = true;
            if (upstreamFailure == null) {
                upstreamFailure = failure; // a stop's reason is kept over what its cancellation caused
            }
        }
        handleNext();
    }

    @Override
    public void onCompletion() {
        synchronized (this) {
            upstreamDone = true;
        }
        handleNext();
    }

    /** Starts the next batch unless one is being handled; ends the stream when nothing is left. */
    private void handleNext() {
        List<T> batch = new ArrayList<>();
        boolean end;
        synchronized (this) {
            if (handling || finished) {
                return;
            }
            while (batch.size() < most && !arrived.isEmpty()) {
                batch.add(arrived.pollFirst());
            }
            end = batch.isEmpty() && upstreamDone;
            finished = end;
            handling = !batch.isEmpty();
        }
        if (end) {
            end();
        } else if (!batch.isEmpty()) {
            readAhead(batch.size());
            handler.apply(batch)
                    .subscribe().with(this::handled, this::batchFailed);
        }
    }

    /** The items taken into a batch make room for as many more to be read ahead. */
    private void readAhead(int taken) {
        Flow.Subscription subscription;
        synchronized (this) {
            subscription = upstreamDone ? null : upstream;
        }
        if (subscription != null) {
            subscription.request(taken);
        }
    }

    private void handled(R result) {
        downstream.emit(result);
        synchronized (this) {
            handling = false;
        }
        handleNext();
    }

    private void batchFailed(Throwable failure) {
        synchronized (this) {
            finished = true;
            handling = false;
        }
        cancelUpstream();
        downstream.fail(failure);
    }

    private void end() {
        Throwable failure;
        synchronized (this) {
            failure = upstreamFailure;
        }
        if (failure == null) {
            downstream.complete();
        } else {
            downstream.fail(failure);
        }
    }

    /** No more items are read: those that arrived are handled, then {@code reason} ends the stream. */
    private void stopReading(Throwable reason) {
        Flow.Subscription subscription;
        synchronized (this) {
            if (upstreamDone) {
                return;
            }
            upstreamDone = true;
            upstreamFailure = reason;
            subscription = upstream;
        }
        if (subscription != null) {
            subscription.cancel();
        }
        handleNext();
    }

    /** The downstream ended (cancelled, or told the end): nothing more is handled. */
    private void stop() {
        synchronized (this) {
            finished = true;
        }
        cancelUpstream();
    }

    private void cancelUpstream() {
        Flow.Subscription subscription;
        synchronized (this) {
            subscription = upstreamDone ? null : upstream;
            upstreamDone = true;
        }
        if (subscription != null) {
            subscription.cancel();
        }
    }
}
