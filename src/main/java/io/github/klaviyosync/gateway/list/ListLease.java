package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import java.time.Instant;
import java.util.UUID;

/**
 * A list this instance has claimed for one sync, with what the sync needs: {@code token}, unique to
 * this claim, which fences every write of the sync; where the last one stopped ({@code memberCursor},
 * and {@code pageCursor} when it stopped mid-way); why it is due; {@code dueAt}, the
 * {@code next_sync_at} it was claimed at (a later one means a new request arrived while it ran); and,
 * when a full sync was cut short, the run that began its removal check and when
 * ({@code fullScanRun}, {@code fullScanStartedAt}), which the resumed full sync carries on.
 */
public record ListLease(
        long listId,
        UUID token,
        UUID accountId,
        String klaviyoListId,
        Instant memberCursor,
        String pageCursor,
        SyncTrigger trigger,
        boolean full,
        Instant dueAt,
        Long fullScanRun,
        Instant fullScanStartedAt,
        byte[] apiKeySealed,
        String klaviyoAccountId,
        String owner) {

    @Override
    public String toString() {
        return "ListLease[" + listId + ", " + klaviyoListId + ", " + owner + "]";
    }
}
