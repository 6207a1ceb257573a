package io.github.klaviyosync.gateway.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one simulated account was asked: requests per operation and per list, 429s, contract
 * violations, and the last requests' query strings (bounded), for tests and benchmarks.
 */
public final class SimCounters {

    private static final int RECENT = 200;

    private final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byList = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byPath = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final Deque<String> recent = new ArrayDeque<>();

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

    /** 429 answers. */
    public long throttledCount() {
        return throttled.get();
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
