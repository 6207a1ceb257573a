package io.github.klaviyosync.gateway.klaviyo;

/**
 * Counts requests in a sliding window made of fixed slots, so that no window of the given length,
 * wherever it starts, holds more than the limit: Klaviyo counts in fixed windows whose start we do
 * not know, and a count over the current slot plus the {@code slots} before it covers any of them.
 * Memory is one int and one long per slot; not thread-safe (its owner synchronizes).
 */
final class SlidingWindowCounter {

    private final long slotMillis;
    private final int slots;
    private final int[] counts;
    private final long[] slotIds;

    SlidingWindowCounter(long windowMillis, int slots) {
        this.slotMillis = Math.max(1, (windowMillis + slots - 1) / slots);
        this.slots = slots;
        this.counts = new int[slots + 1];
        this.slotIds = new long[slots + 1];
        java.util.Arrays.fill(slotIds, Long.MIN_VALUE);
    }

    /** Requests counted in the slots that a window ending now may overlap. */
    int count(long nowMillis) {
        long current = nowMillis / slotMillis;
        int total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (slotIds[i] >= current - slots && slotIds[i] <= current) {
                total += counts[i];
            }
        }
        return total;
    }

    void add(long nowMillis) {
        long current = nowMillis / slotMillis;
        int index = (int) Math.floorMod(current, (long) counts.length);
        if (slotIds[index] != current) {
            slotIds[index] = current;
            counts[index] = 0;
        }
        counts[index]++;
    }

    /** Milliseconds until one more request fits under {@code limit}; 0 when it fits now. */
    long millisUntilBelow(long nowMillis, int limit) {
        int total = count(nowMillis);
        if (total < limit) {
            return 0;
        }
        long current = nowMillis / slotMillis;
        for (long slot = current - slots; slot <= current; slot++) {
            total -= countOf(slot);
            if (total < limit) {
                // The slot leaves the counted range when the slot `slots + 1` after it begins.
                return (slot + slots + 1) * slotMillis - nowMillis;
            }
        }
        return (current + slots + 1) * slotMillis - nowMillis;
    }

    private int countOf(long slot) {
        int index = (int) Math.floorMod(slot, (long) counts.length);
        return slotIds[index] == slot ? counts[index] : 0;
    }
}
