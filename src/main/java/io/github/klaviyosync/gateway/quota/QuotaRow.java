package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.klaviyo.RateTier;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** One budget as stored, read with the database's clock ({@code nowMs}). */
record QuotaRow(String budgetKey, RateTier tier, int budget, long windowStartMs, int granted, Integer ceiling,
        Long lastWindowStartMs, int lastGranted, Long pausedUntilMs, long throttled, Instant throttledAt, long nowMs) {

    static QuotaRow of(Row row) {
        return new QuotaRow(row.getString("budget_key"), RateTier.ofWire(row.getString("tier")), row.getInteger("budget"),
                row.getLong("window_start_ms"), row.getInteger("granted"), row.getInteger("ceiling"),
                row.getLong("last_window_start_ms"), row.getInteger("last_granted"), row.getLong("paused_until_ms"),
                row.getLong("throttled"), Rows.instant(row, "throttled_at"), row.getLong("now_ms"));
    }

    /** Requests leased in the window that is running now (0 when none was leased in it yet). */
    int thisWindow(long windowMillis) {
        return windowStartMs == currentWindow(windowMillis) ? granted : 0;
    }

    /** Requests leased in the last complete window. */
    int lastWindow(long windowMillis) {
        long previous = currentWindow(windowMillis) - windowMillis;
        if (windowStartMs == previous) {
            return granted;
        }
        return lastWindowStartMs != null && lastWindowStartMs == previous && windowStartMs == currentWindow(windowMillis)
                ? lastGranted : 0;
    }

    /** The window's budget now: the share, or what Klaviyo lowered it to. */
    int cap() {
        return ceiling == null ? budget : Math.min(budget, ceiling);
    }

    Instant pausedUntil() {
        return pausedUntilMs == null || pausedUntilMs <= nowMs ? null : Instant.ofEpochMilli(pausedUntilMs);
    }

    private long currentWindow(long windowMillis) {
        return nowMs - Math.floorMod(nowMs, windowMillis);
    }
}
