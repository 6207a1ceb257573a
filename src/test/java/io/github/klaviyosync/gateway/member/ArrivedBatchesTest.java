package io.github.klaviyosync.gateway.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Pages arriving while a commit runs are committed together, in order, at most {@code most} at once;
 * the stream is read at most that far ahead (the source refuses anything it was not asked for); a
 * failing stream still has what arrived committed; a failing commit ends everything.
 */
class ArrivedBatchesTest {

    private MultiEmitter<? super Integer> source;
    private final List<List<Integer>> batches = new ArrayList<>();
    private final List<CompletableFuture<String>> handling = new ArrayList<>();

    private final CompletableFuture<Throwable> stop = new CompletableFuture<>();
    private final AtomicBoolean stopCancelled = new AtomicBoolean();

    private AssertSubscriber<String> batchesOf(int most) {
        Multi<Integer> items = Multi.createFrom().emitter(emitter -> source = emitter, BackPressureStrategy.ERROR);
        return ArrivedBatches.handle(items, most, this::handle, Uni.createFrom().completionStage(stop)
                        .onCancellation().invoke(() -> stopCancelled.set(true)))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    private Uni<String> handle(List<Integer> batch) {
        batches.add(batch);
        CompletableFuture<String> done = new CompletableFuture<>();
        handling.add(done);
        return Uni.createFrom().completionStage(done);
    }

    private void finishBatch(int index) {
        handling.get(index).complete("batch " + batches.get(index));
    }

    @Test
    void itemsArrivingOneByOneAreHandledOneByOne() {
        AssertSubscriber<String> results = batchesOf(4);
        source.emit(1);
        finishBatch(0);
        source.emit(2);
        finishBatch(1);
        source.complete();

        results.assertCompleted().assertItems("batch [1]", "batch [2]");
        assertEquals(List.of(List.of(1), List.of(2)), batches);
    }

    @Test
    void withBatchesOfOneTheNextItemIsStillReadWhileABatchIsHandled() {
        AssertSubscriber<String> results = batchesOf(1);
        source.emit(1);
        assertEquals(1, source.requested(), "the next page is fetched while this one commits");
        source.emit(2);
        assertEquals(0, source.requested(), "and no further");
        finishBatch(0);
        source.complete();
        finishBatch(1);

        assertEquals(List.of(List.of(1), List.of(2)), batches);
        results.assertCompleted().assertItems("batch [1]", "batch [2]");
    }

    @Test
    void itemsArrivingDuringABatchAreHandledTogetherAtMostMostAtOnce() {
        AssertSubscriber<String> results = batchesOf(3);
        source.emit(1);
        assertEquals(3, source.requested(), "three read ahead of the batch being handled");
        source.emit(2);
        source.emit(3);
        source.emit(4);
        assertEquals(0, source.requested(), "nothing more is read while the batch runs");
        finishBatch(0);
        source.emit(5);
        source.complete();
        finishBatch(1);
        finishBatch(2);

        assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(5)), batches);
        results.assertCompleted().assertItems("batch [1]", "batch [2, 3, 4]", "batch [5]");
    }

    @Test
    void whatArrivedBeforeTheStreamFailedIsHandledThenTheFailurePassesOn() {
        AssertSubscriber<String> results = batchesOf(4);
        source.emit(1);
        source.emit(2);
        source.fail(new IllegalStateException("page 3 failed"));
        results.assertNotTerminated();
        finishBatch(0);
        finishBatch(1);

        assertEquals(List.of(List.of(1), List.of(2)), batches);
        results.assertFailedWith(IllegalStateException.class, "page 3 failed").assertItems("batch [1]", "batch [2]");
    }

    @Test
    void aFailedBatchEndsTheStreamAndHandlesNothingAfterIt() {
        AssertSubscriber<String> results = batchesOf(4);
        source.emit(1);
        source.emit(2);
        handling.get(0).completeExceptionally(new IllegalStateException("lease lost"));

        results.assertFailedWith(IllegalStateException.class, "lease lost");
        assertTrue(source.isCancelled(), "the stream is cancelled");
        assertEquals(List.of(List.of(1)), batches, "the item that had arrived is not handled");
    }

    @Test
    void aStopWhileAnItemIsAwaitedEndsTheStreamAtOnce() {
        AssertSubscriber<String> results = batchesOf(4);
        source.emit(1);
        finishBatch(0);
        results.assertNotTerminated();

        stop.complete(new IllegalStateException("handed over"));

        results.assertFailedWith(IllegalStateException.class, "handed over").assertItems("batch [1]");
        assertTrue(source.isCancelled(), "the stream is cancelled, the awaited item with it");
    }

    @Test
    void aStopDuringABatchLetsItAndWhatArrivedBeHandledThenEndsTheStream() {
        AssertSubscriber<String> results = batchesOf(4);
        source.emit(1);
        source.emit(2);
        stop.complete(new IllegalStateException("handed over"));
        assertTrue(source.isCancelled(), "nothing more is read");
        results.assertNotTerminated();
        finishBatch(0);
        finishBatch(1);

        assertEquals(List.of(List.of(1), List.of(2)), batches);
        results.assertFailedWith(IllegalStateException.class, "handed over").assertItems("batch [1]", "batch [2]");
    }

    @Test
    void aStreamThatEndsNoLongerWaitsForItsStop() {
        AssertSubscriber<String> results = batchesOf(4);
        source.emit(1);
        source.complete();
        finishBatch(0);

        results.assertCompleted().assertItems("batch [1]");
        assertTrue(stopCancelled.get(), "the stop's subscription is cancelled (a handover's waiter is not kept)");
    }
}
