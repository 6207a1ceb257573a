package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import java.time.Instant;
import java.util.UUID;

/**
 * An account this instance has claimed for one list discovery or, when {@code discoveryDue} is false,
 * one list check of the lists updated since {@code listsCheckedAt}; {@code token} is this claim's, and
 * fences its writes.
 */
public record DiscoveryLease(UUID accountId, UUID token, byte[] apiKeySealed, String klaviyoAccountId, SyncTrigger trigger,
        Instant dueAt, boolean discoveryDue, Instant listsCheckedAt, String owner) {

    @Override
    public String toString() {
        return "DiscoveryLease[" + accountId + ", " + (discoveryDue ? trigger : "list check") + "]";
    }
}
