package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import java.time.Instant;
import java.util.UUID;

/** An account this instance has claimed for one list discovery. */
public record DiscoveryLease(UUID accountId, byte[] apiKeySealed, String klaviyoAccountId, SyncTrigger trigger, Instant dueAt,
        String owner) {

    @Override
    public String toString() {
        return "DiscoveryLease[" + accountId + ", " + trigger + "]";
    }
}
