package io.github.klaviyosync.gateway.changes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The live feed of one instance: however many consumers, one LISTEN connection that the writers'
 * notifications (sent at their commit by the recording triggers) wake, and one reader that reads what
 * is new once and writes it to every consumer that follows live. A consumer that starts behind (a
 * {@code Last-Event-ID}) first catches up with reads of its own on the same connection, then joins the
 * live ones without a gap or a repeat. Notifications that come while a read runs are folded into one
 * more read; a slow read every {@code safety-poll} catches a notification lost with its connection.
 * <p>
 * All state is kept by one thread ({@code change-stream}): every entry point (a request, a read's
 * answer, a timer, a write's completion) hands its work to it, so each consumer's events go out in
 * order and no lock is ever held while the HTTP layer holds its own (a write completing on a
 * connection's event loop only queues a task here).
 */
@ApplicationScoped
public class ChangeStream {

    private static final Logger LOG = Logger.getLogger(ChangeStream.class);
    private static final String CHANNEL = "member_change";
    private static final long LISTENER_RECONNECT_MS = 1000;

    private final ChangeFeed feed;
    private final StreamConnections connections;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final GatewayConfig.Changes config;

    private final List<StreamConsumer> consumers = new ArrayList<>();
    private Sse sse;
    private Pool reader;
    private PgSubscriber listener;
    private Uni<Void> started;
    /** Every change up to here has been written to the live consumers. */
    private volatile ChangeCursor live;
    private boolean reading;
    private boolean readAgain;
    private boolean retryScheduled;
    private long blockedWaitMs;
    private boolean draining;
    private final List<Long> timers = new ArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread named = new Thread(task, "change-stream");
        named.setDaemon(true);
        return named;
    });
    /** Runs a task on the stream's thread; a failure is logged and the live reader is freed, never left stuck. */
    private final Executor serial = task -> thread.execute(() -> {
        try {
            task.run();
        } catch (RuntimeException failure) {
            LOG.errorf(failure, "the change stream failed a step; it reads again at the next wake-up");
            reading = false;
            readAgain = false;
        }
    });

    ChangeStream(ChangeFeed feed, StreamConnections connections, Vertx vertx, ObjectMapper json, GatewayConfig config,
            MeterRegistry registry) {
        this.feed = feed;
        this.connections = connections;
        this.vertx = vertx;
        this.json = json;
        this.config = config.changes();
        Gauge.builder("gateway.change.streams", consumers, List::size)
                .description("Change streams open on this instance")
                .register(registry);
    }

    /**
     * Opens a stream on {@code sink} after {@code after} (live from now when null), of one account or
     * all. Fails before the stream starts, so the caller answers it: 404 for an unknown account, 410
     * for a cursor behind retention, 503 while the instance drains.
     */
    public Uni<Void> open(SseEventSink sink, Sse sse, ChangeCursor after, UUID accountId) {
        Context request = Vertx.currentContext();
        return start(sse)
                .chain(() -> feed.requireAccount(reader, accountId))
                .chain(() -> startingPoint(after, accountId))
                .emitOn(task -> onRequestThread(request, task))
                .invoke(from -> follow(sink, from, accountId))
                .replaceWithVoid();
    }

    /**
     * After the given cursor (a read checks it against retention: 410 behind it), or, without one, the
     * feed's tail now: not the live reader's position, which stands still while no stream is open.
     */
    private Uni<ChangeCursor> startingPoint(ChangeCursor after, UUID accountId) {
        return after == null
                ? feed.tail(reader)
                : feed.page(reader, after, accountId, 1).replaceWith(after);
    }

    /** The request's own event loop, where the REST layer writes the head of the answer once this returns. */
    private static void onRequestThread(Context request, Runnable task) {
        if (request == null) {
            task.run();
        } else {
            request.runOnContext(ignored -> task.run());
        }
    }

    private synchronized Uni<Void> start(Sse given) {
        if (draining) {
            return Uni.createFrom().failure(ApiProblem.unavailable("this instance is shutting down: reconnect", 1));
        }
        if (started == null) {
            sse = given;
            reader = connections.reader();
            started = feed.tail(reader)
                    .invoke(tail -> {
                        live = tail;
                        serial.execute(this::listen);
                    })
                    .replaceWithVoid()
                    .memoize().indefinitely();
        }
        return started.onFailure().invoke(this::forgetFailedStart);
    }

    private synchronized void forgetFailedStart(Throwable failure) {
        if (live == null) {
            started = null;
        }
    }

    /** Listens, and starts the heartbeat and the safety read, once the live position is known. */
    private void listen() {
        listener = connections.listener();
        listener.reconnectPolicy(attempts -> LISTENER_RECONNECT_MS);
        listener.channel(CHANNEL)
                .handler(payload -> serial.execute(this::wake))
                .subscribeHandler(subscribed -> serial.execute(this::wake));
        listener.connect(connected -> {
            if (connected.failed()) {
                LOG.warnf("the change stream cannot LISTEN (%s); it reads every %s until it can",
                        connected.cause().getClass().getSimpleName(), config.safetyPoll());
            }
        });
        timers.add(vertx.setPeriodic(config.safetyPoll().toMillis(), id -> serial.execute(this::wake)));
        timers.add(vertx.setPeriodic(config.heartbeat().toMillis(), id -> serial.execute(this::heartbeat)));
    }

    /**
     * Starts a consumer, on the request's thread: its first block (an id without data, so that a client
     * reconnecting before any change resumes from here) is written before the REST layer writes the
     * answer's head, which it then leaves alone; every later write comes from the stream's thread.
     */
    private void follow(SseEventSink sink, ChangeCursor from, UUID accountId) {
        StreamConsumer consumer = new StreamConsumer(sink, accountId, from);
        consumer.pending++;
        sink.send(sse.newEventBuilder().id(consumer.position.encode()).comment("following changes").build())
                .whenComplete((done, failure) -> serial.execute(() -> written(consumer, failure)));
        serial.execute(() -> add(consumer));
    }

    /** Follows live when nothing was written since its position, else catches up first. */
    private void add(StreamConsumer consumer) {
        if (consumer.closed) {
            return;
        }
        if (consumers.isEmpty()) {
            // The live position stood still while no stream was open (nobody to read for): it moves to
            // the newest start, skipping what committed meanwhile, which no open stream waits for.
            live = ChangeCursor.max(live, consumer.position);
        }
        consumers.add(consumer);
        consumer.live = consumer.position.compareTo(live) >= 0;
        LOG.debugf("a change stream opens at %s (%s; %d open)", consumer.position, consumer.live ? "live" : "catching up", consumers.size());
        if (!consumer.live) {
            catchUp(consumer);
        }
    }

    // --- the live reader ----------------------------------------------------------------------

    /** A notification, the safety timer or a retry: read now, or once more after the read in flight. */
    private void wake() {
        if (live == null || consumers.isEmpty()) {
            return;
        }
        if (reading) {
            readAgain = true;
            return;
        }
        reading = true;
        readLive(live);
    }

    private void readLive(ChangeCursor from) {
        // The live reader never stops at retention's horizon: it is the position of this instance.
        feed.page(reader, from, null, config.maxPageSize(), false)
                .subscribe().with(page -> serial.execute(() -> fanOut(page)), failure -> serial.execute(() -> liveReadFailed(failure)));
    }

    private void fanOut(FeedPage page) {
        LOG.tracef("read %d changes after %s to %s (waiting: %s)", page.entries().size(), live, page.next(), page.waiting());
        for (FeedEntry entry : page.entries()) {
            OutboundSseEvent event = event(entry);
            for (StreamConsumer consumer : List.copyOf(consumers)) {
                if (consumer.live && consumer.wants(entry)) {
                    send(consumer, event);
                }
            }
        }
        live = ChangeCursor.max(live, page.next());
        consumers.stream().filter(consumer -> consumer.live).forEach(consumer -> consumer.passed(live));
        if (page.full() || readAgain) {
            readAgain = false;
            readLive(live);
            return;
        }
        reading = false;
        if (page.waiting()) {
            // Committed changes wait behind an older transaction, which may end without notifying: read
            // again soon, and less often only while reads bring nothing (a transaction left open).
            blockedWaitMs = blockedWaitMs == 0 || !page.entries().isEmpty() ? config.blockedRetry().toMillis()
                    : Math.min(blockedWaitMs * 2, config.safetyPoll().toMillis());
            retryLater(blockedWaitMs);
        } else {
            blockedWaitMs = 0;
        }
    }

    private void liveReadFailed(Throwable failure) {
        reading = false;
        readAgain = false;
        LOG.warnf("the change stream could not read the feed (%s); it reads again in %s",
                failure.getClass().getSimpleName(), config.safetyPoll());
    }

    private void retryLater(long delayMs) {
        if (!retryScheduled) {
            retryScheduled = true;
            vertx.setTimer(delayMs, id -> serial.execute(this::retryDue));
        }
    }

    private void retryDue() {
        retryScheduled = false;
        wake();
    }

    // --- consumers behind the live position ---------------------------------------------------

    private void catchUp(StreamConsumer consumer) {
        feed.page(reader, consumer.position, consumer.accountId, config.maxPageSize())
                .subscribe().with(page -> serial.execute(() -> caughtUp(consumer, page)),
                        failure -> serial.execute(() -> catchUpFailed(consumer, failure)));
    }

    /**
     * Writes a catch-up page; the consumer goes live once it has read everything the live reader has
     * written (its position at or past the live one), else it reads on, so that nothing written to the
     * live consumers meanwhile is missed.
     */
    private void caughtUp(StreamConsumer consumer, FeedPage page) {
        if (consumer.closed) {
            return;
        }
        for (FeedEntry entry : page.entries()) {
            if (consumer.wants(entry)) {
                send(consumer, event(entry));
            }
        }
        consumer.passed(page.next());
        if (!page.full() && consumer.position.compareTo(live) >= 0) {
            consumer.live = true;
        } else if (!consumer.closed) {
            catchUp(consumer);
        }
    }

    private void catchUpFailed(StreamConsumer consumer, Throwable failure) {
        LOG.debugf("a stream consumer could not catch up (%s); it is disconnected to resume", failure.getClass().getSimpleName());
        close(consumer);
    }

    // --- writing ------------------------------------------------------------------------------

    private OutboundSseEvent event(FeedEntry entry) {
        try {
            return sse.newEventBuilder()
                    .id(entry.cursor().encode())
                    .data(json.writeValueAsString(entry.view()))
                    .build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send(StreamConsumer consumer, OutboundSseEvent event) {
        if (consumer.closed) {
            return;
        }
        if (consumer.sink.isClosed() || consumer.pending >= config.maxPendingEvents()) {
            // Gone, or too slow to follow: a client resumes by Last-Event-ID, catching up with reads.
            close(consumer);
            return;
        }
        consumer.pending++;
        consumer.sink.send(event).whenComplete((done, failure) -> serial.execute(() -> written(consumer, failure)));
    }

    private void written(StreamConsumer consumer, Throwable failure) {
        consumer.pending--;
        if (failure != null) {
            close(consumer);
        }
    }

    /**
     * A comment with the consumer's position as its id and no data: the client's Last-Event-ID moves
     * past the changes it was not sent (another account's), so a stream of a quiet account resumes
     * from near now, not from a cursor that retention has passed (410).
     */
    private void heartbeat() {
        List.copyOf(consumers).forEach(consumer -> send(consumer, sse.newEventBuilder()
                .id(consumer.position.encode())
                .comment("heartbeat")
                .build()));
    }

    private void close(StreamConsumer consumer) {
        LOG.debugf("a change stream closes (%d events unsent, %s)", consumer.pending, consumer.sink.isClosed() ? "gone" : "closed here");
        consumer.closed = true;
        consumers.remove(consumer);
        try {
            consumer.sink.close();
        } catch (RuntimeException alreadyGone) {
            LOG.debugf("a stream was already closed: %s", alreadyGone.getClass().getSimpleName());
        }
    }

    /** Kubernetes stops routing here: consumers reconnect to another instance, and none opens here any more. */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        synchronized (this) {
            draining = true;
        }
        serial.execute(() -> List.copyOf(consumers).forEach(this::close));
    }

    @PreDestroy
    synchronized void stop() {
        draining = true;
        serial.execute(() -> List.copyOf(consumers).forEach(this::close));
        thread.shutdown();
        timers.forEach(vertx::cancelTimer);
        if (listener != null) {
            listener.close();
        }
        if (reader != null) {
            reader.close().subscribe().with(closed -> { }, failure -> { });
        }
    }

    /** One open stream: its filter, how far it has read, whether it follows live, and what it has not yet sent. */
    private static final class StreamConsumer {
        final SseEventSink sink;
        final UUID accountId;
        ChangeCursor position;
        boolean live;
        boolean closed;
        int pending;

        StreamConsumer(SseEventSink sink, UUID accountId, ChangeCursor position) {
            this.sink = sink;
            this.accountId = accountId;
            this.position = position;
        }

        boolean wants(FeedEntry entry) {
            return (accountId == null || accountId.equals(entry.accountId())) && entry.cursor().compareTo(position) > 0;
        }

        void passed(ChangeCursor cursor) {
            position = ChangeCursor.max(position, cursor);
        }
    }
}
