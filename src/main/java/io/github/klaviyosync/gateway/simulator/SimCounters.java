package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one simulated account was asked: requests per operation and per list, 429s, contract
 * violations, the last requests' query strings (bounded), the gateway's requests per fixed steady
 * ("minute") window, and what the merchant's other tools sent; for tests and benchmarks.
 */
public final class SimCounters {

    private static final int RECENT = 200;
    /** Steady windows remembered per tier: a day of minutes. */
    private static final int KEPT_WINDOWS = 1_440;
    private static final String ALL_TIERS = "";

    private final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byList = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byPath = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final Deque<String> recent = new ArrayDeque<>();
    private final Map<String, NavigableMap<Long, Long>> perWindow = new HashMap<>();
    private final AtomicLong otherTools = new AtomicLong();
    private final AtomicLong otherToolsThrottled = new AtomicLong();
    private volatile Runnable beforeRead = () -> { };

    /** What reads of the rate-limit counters do first: catch up with the other tools' background requests. */
    void beforeRead(Runnable catchUp) {
        this.beforeRead = catchUp;
    }

    /** A request of the gateway that the rate limiter counted, in the steady window starting at {@code windowStart}. */
    void counted(long windowStart, String tierKey) {
        synchronized (perWindow) {
            increment(ALL_TIERS, windowStart);
            increment(tierKey, windowStart);
        }
    }

    private void increment(String tierKey, long windowStart) {
        NavigableMap<Long, Long> windows = perWindow.computeIfAbsent(tierKey, key -> new TreeMap<>());
        windows.merge(windowStart, 1L, Long::sum);
        if (windows.size() > KEPT_WINDOWS) {
            windows.pollFirstEntry();
        }
    }

    void otherToolsRequest(boolean allowed) {
        otherTools.incrementAndGet();
        if (!allowed) {
            otherToolsThrottled.incrementAndGet();
        }
    }

    void request(SimOperation operation, String listId, String path, String query) {
        total.incrementAndGet();
        byPath.computeIfAbsent(path, key -> new AtomicLong()).incrementAndGet();
        byOperation.computeIfAbsent(operation.operationId(), key -> new AtomicLong()).incrementAndGet();
        if (listId != null) {
            byList.computeIfAbsent(listId, key -> new AtomicLong()).incrementAndGet();
        }
        synchronized (recent) {
            recent.addLast(operation.operationId() + " " + path + query);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    void throttled() {
        throttled.incrementAndGet();
    }

    void violation() {
        violations.incrementAndGet();
    }

    /** Every request that reached the account (its key was recognised), whatever the answer. */
    public long requests() {
        return total.get();
    }

    /** Requests of one operation, by its spec operationId (e.g. {@code get_profiles_for_list}). */
    public long requests(String operationId) {
        AtomicLong count = byOperation.get(operationId);
        return count == null ? 0 : count.get();
    }

    /** Requests about one list (the list, its members, its member ids). */
    public long requestsForList(String listId) {
        AtomicLong count = byList.get(listId);
        return count == null ? 0 : count.get();
    }

    /** Requests to one path below the mount point, e.g. {@code /api/lists/Y6nRLr/profiles}. */
    public long requestsForPath(String path) {
        AtomicLong count = byPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** 429 answers to the gateway (the other tools' are {@link #otherToolsThrottled()}). */
    public long throttledCount() {
        return throttled.get();
    }

    /**
     * The gateway's requests that reached the rate limiter (allowed or refused), per fixed steady
     * window (a minute unless the simulator's windows were shortened), by the window's start, oldest
     * first; windows without requests are absent.
     */
    public SortedMap<Instant, Long> requestsPerMinuteWindow() {
        return windows(ALL_TIERS);
    }

    /**
     * Like {@link #requestsPerMinuteWindow()}, only the requests in the tier of {@code operationId}:
     * {@code "get_profiles"} counts every 75/s, 750/min request ({@code get_lists}, members...).
     */
    public SortedMap<Instant, Long> requestsPerMinuteWindow(String operationId) {
        return windows(SimOperation.byOperationId(operationId).tier().key());
    }

    /** The most requests of the gateway that one fixed steady window saw (0 before any). */
    public long mostRequestsInAMinuteWindow() {
        return requestsPerMinuteWindow().values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Like {@link #mostRequestsInAMinuteWindow()}, in the tier of {@code operationId}. */
    public long mostRequestsInAMinuteWindow(String operationId) {
        return requestsPerMinuteWindow(operationId).values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Requests the merchant's other tools sent so far (see {@link SimulatedAccount#otherToolsPerMinute(int)}). */
    public long otherToolsRequests() {
        beforeRead.run();
        return otherTools.get();
    }

    /** Of the other tools' requests, those answered 429. */
    public long otherToolsThrottled() {
        beforeRead.run();
        return otherToolsThrottled.get();
    }

    private SortedMap<Instant, Long> windows(String tierKey) {
        beforeRead.run();
        SortedMap<Instant, Long> copy = new TreeMap<>();
        synchronized (perWindow) {
            perWindow.getOrDefault(tierKey, new TreeMap<>())
                    .forEach((start, count) -> copy.put(Instant.ofEpochMilli(start), count));
        }
        return copy;
    }

    /** Requests or answers that broke the installed {@link ContractCheck}. */
    public long contractViolations() {
        return violations.get();
    }

    /** The last requests, oldest first, as {@code "operationId /path?decoded query"}. */
    public List<String> recentRequests() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
