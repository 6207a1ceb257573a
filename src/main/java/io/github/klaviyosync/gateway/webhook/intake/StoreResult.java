package io.github.klaviyosync.gateway.webhook.intake;

/**
 * What the inbox did with one request's events: how many it stored, how many it already had, and how
 * many it refused because the account no longer holds the credentials the request was verified with
 * (rotated, replaced or deleted since they were read).
 */
public record StoreResult(int stored, int duplicates, int refused) {

    public static final StoreResult NONE = new StoreResult(0, 0, 0);
}
