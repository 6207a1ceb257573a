package io.github.klaviyosync.gateway.member;

import java.time.Instant;
import java.util.UUID;

/**
 * An account this instance has claimed for one profile sweep: where the last one stopped
 * ({@code cursor}, and {@code pageCursor} when it stopped mid-way), the claim's {@code token} that
 * fences each page commit, and the account's sealed key.
 */
public record ProfileSweepLease(
        UUID accountId,
        byte[] apiKeySealed,
        String klaviyoAccountId,
        Instant cursor,
        String pageCursor,
        UUID token,
        String owner) {

    @Override
    public String toString() {
        return "ProfileSweepLease[" + accountId + ", " + owner + "]";
    }
}
